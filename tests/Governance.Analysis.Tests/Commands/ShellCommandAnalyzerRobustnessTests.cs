using System.Text;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Tests.Commands;

public sealed class ShellCommandAnalyzerRobustnessTests
{
    private static readonly string[] Fragments =
    [
        "rm", " -rf ", "~", "/", "$(", ")", "`", "'", "\"", "\\", ";", "&&", "||", "|", "|&", "&", "\n", "(", "{", "}",
        "<<", "<<-", "<<<", "EOF", ">", ">>", "2>&1", "&>", "$", "${", "}", "$((", "))", "#", "=", "X=", "$X", "bash -c ",
        "eval ", "sudo ", "xargs ", "find . -exec ", " \\; ", " + ", "base64 -d", "| sh", "printf '\\x72'", "$'\\x", "<(", ">(",
        "python3 -c ", "env -S ", "timeout 5 ", "\t", "\r", "\0", "\uD800", "\uDC00", "\u00e9", "a=(", "case ", " in ",
    ];

    [Fact]
    public async Task Analyze_RandomShellishInput_NeverThrowsAndTerminates()
    {
        var faker = new Bogus.Faker { Random = new Bogus.Randomizer(42) };
        var inputs = new List<string>(2000);
        for (var i = 0; i < 2000; i++)
        {
            var sb = new StringBuilder();
            var count = faker.Random.Int(0, 60);
            for (var k = 0; k < count; k++)
            {
                if (faker.Random.Int(0, 9) == 0)
                {
                    sb.Append((char)faker.Random.Int(0, 0xFFFF));
                }
                else
                {
                    sb.Append(faker.PickRandom(Fragments));
                }
            }

            inputs.Add(sb.ToString());
        }

        var analysed = await Task.Run(() =>
        {
            var n = 0;
            foreach (var input in inputs)
            {
                var result = ShellCommandAnalyzer.Analyze(input);
                Assert.NotNull(result.Commands);
                Assert.DoesNotContain(result.OpaqueReasons, r => r.StartsWith("analyser fault", StringComparison.Ordinal));
                n++;
            }

            return n;
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2000, analysed);
    }

    [Fact]
    public async Task Analyze_OneMegabyteCommand_TruncatedAndBounded()
    {
        var big = string.Concat(Enumerable.Repeat("echo $(ls \"a b\") | grep x && ", 40_000));

        var result = await Task.Run(() => ShellCommandAnalyzer.Analyze(big)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(big.Length > 1_000_000);
        Assert.True(result.Truncated);
        Assert.True(result.IsOpaque);
        Assert.NotEmpty(result.Commands);
    }

    [Theory]
    [InlineData("$(", "")]
    [InlineData("$(", ")")]
    [InlineData("`", "`")]
    [InlineData("bash -c \"", "\"")]
    [InlineData("(", ")")]
    [InlineData("{ ", "; }")]
    [InlineData("${", "}")]
    public async Task Analyze_TenThousandNestedOpeners_OpaqueWithoutStackOverflow(string open, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, 10_000)) + "rm -rf ~" + string.Concat(Enumerable.Repeat(close, 10_000));

        var result = await Task.Run(() => ShellCommandAnalyzer.Analyze(text)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.DoesNotContain(result.OpaqueReasons, r => r.StartsWith("analyser fault", StringComparison.Ordinal));
        Assert.True(result.IsOpaque || result.Commands.Any(c => c.Name == "rm"));
    }

    [Fact]
    public async Task Analyze_TenThousandNestedSubstitutions_DepthBoundReported()
    {
        var text = "echo " + string.Concat(Enumerable.Repeat("$(", 10_000)) + "ls" + new string(')', 10_000);

        var result = await Task.Run(() => ShellCommandAnalyzer.Analyze(text)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.IsOpaque);
        Assert.Contains(result.OpaqueReasons, r => r.Contains("nesting deeper", StringComparison.Ordinal) || r.Contains("nested more than", StringComparison.Ordinal));
        Assert.True(result.Commands.Max(c => c.Depth) <= 8);
    }

    [Fact]
    public void Analyze_MaxDepthZero_SubstitutionOpaque()
    {
        var result = ShellCommandAnalyzer.Analyze("echo $(rm -rf ~)", maxDepth: 0);

        Assert.DoesNotContain(result.Commands, c => c.Name == "rm");
        Assert.True(result.IsOpaque);
    }

    [Theory]
    [InlineData("echo \uD800 rm")]
    [InlineData("\uDC00\uD800; ls")]
    [InlineData("printf '\\xff\\xfe' | sh")]
    [InlineData("echo \"\uD83D\"")]
    public void Analyze_InvalidUtf16_NoThrow(string text)
    {
        var result = ShellCommandAnalyzer.Analyze(text);

        Assert.DoesNotContain(result.OpaqueReasons, r => r.StartsWith("analyser fault", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_NullInput_TreatedAsEmpty()
    {
        var result = ShellCommandAnalyzer.Analyze(null!);

        Assert.Empty(result.Commands);
    }

    [Fact]
    public async Task Analyze_ExponentialReentry_BudgetBoundsWork()
    {
        // Each level quotes the previous one twice: naive re-analysis would double per level.
        var text = "rm -rf ~";
        for (var i = 0; i < 12 && text.Length < 30_000; i++)
        {
            text = $"eval \"$(echo x)\" {text.Replace("\\", "\\\\").Replace("\"", "\\\"")} ; eval {text.Replace("\\", "\\\\").Replace("\"", "\\\"")}";
        }

        var result = await Task.Run(() => ShellCommandAnalyzer.Analyze(text)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEmpty(result.Commands);
    }

    [Theory]
    [InlineData("echo x", " | sh")]
    [InlineData("echo a b c d e f g h i j k l m n o p", " | cat")]
    [InlineData("", "sudo env ")]
    [InlineData("", "find . -exec ")]
    [InlineData("", "<<A ")]
    [InlineData("", "env -S 'x' ")]
    public async Task Analyze_LongRepetitiveInput_FinishesQuickly(string head, string repeated)
    {
        var text = head + string.Concat(Enumerable.Repeat(repeated, 30_000));

        var result = await Task.Run(() => ShellCommandAnalyzer.Analyze(text)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Truncated);
    }
    [Theory]
    [InlineData("ｒｍ -rf ~", "ｒｍ")]
    [InlineData("гm -rf ~", "гm")]
    [InlineData("sudo r\u200bm -rf /", "r\u200bm")]
    [InlineData("echo x | ѕh", "ѕh")]
    public void Analyze_LookAlikeOrInvisibleCharactersInACommandName_Opaque(string text, string name)
    {
        var result = ShellCommandAnalyzer.Analyze(text);

        Assert.Contains("command name has look-alike or invisible characters: " + name, result.OpaqueReasons);
    }

    [Theory]
    [InlineData("echo 'ｒｍ' café")]
    [InlineData("git commit -m 'résumé'")]
    public void Analyze_NonAsciiOnlyInArguments_NotOpaque(string text) =>
        Assert.DoesNotContain(ShellCommandAnalyzer.Analyze(text).OpaqueReasons, r => r.Contains("look-alike", StringComparison.Ordinal));
}
