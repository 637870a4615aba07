using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Analysis.Shell;
using Governance.TestKit;
using Xunit.Abstractions;

namespace Governance.Analysis.Tests.Shell;

/// <summary>
/// The parser on shell nobody here wrote: every maintainer script of the installed Debian packages, every .sh file they
/// ship, and every command of the labelled corpus, compared with mvdan/sh (npm mvdan-sh, run by Node from tests/e2e).
/// For each script both parsers must agree on whether it parses and, when it does, on every simple command and the
/// source range of each of its words. Disagreements that are the oracle's or a known difference are listed with their
/// reason in shell-differential-explained.txt; any other fails the test.
/// </summary>
public sealed class ShellCorpusTests(ITestOutputHelper output)
{
    private const string DpkgInfo = "/var/lib/dpkg/info";

    private static readonly string[] MaintainerScripts = [".preinst", ".postinst", ".prerm", ".postrm", ".config"];

    private sealed record Script(string Name, string Source);

    [Fact]
    public async Task Parse_InstalledPackageScriptsAndLabelledCorpus_AgreesWithTheReferenceParser()
    {
        var scripts = InstalledShellScripts().Concat(CorpusCommands()).ToArray();
        Assert.True(scripts.Length > 300, $"only {scripts.Length} scripts found: is this a Debian machine with {DpkgInfo}?");

        var ours = new Dictionary<string, (ShellParseResult Result, string[] Calls)>(StringComparer.Ordinal);
        var crashes = new List<string>();
        foreach (var script in scripts)
        {
            try
            {
                var result = ShellParser.Parse(script.Source);
                ours[script.Name] = (result, result.Script is { } tree ? Calls(script.Source, tree) : []);
                // The evaluator walks the same real scripts: functions, loops, aliases and all, within its budget.
                _ = Governance.Analysis.Evaluation.ShellEvaluator.Evaluate(script.Source);
            }
            catch (Exception ex)
            {
                crashes.Add($"{script.Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.Empty(crashes);

        var oracle = await OracleAsync(scripts);
        var explained = Explained();
        var disagreements = new List<string>();
        var unexplained = new List<string>();
        foreach (var script in scripts)
        {
            var (result, calls) = ours[script.Name];
            var reference = oracle[script.Name];
            var error = reference["error"]?.GetValue<string>();
            string? difference = (result.Succeeded, error) switch
            {
                (true, null) => CompareCalls(calls, reference["calls"]!.AsArray().Select(Serialize).Order(StringComparer.Ordinal).ToArray()),
                (false, null) => $"only the oracle parses it; ours: {result.Error}",
                (true, { } message) => $"only ours parses it; oracle: {message}",
                (false, { }) => null,
            };
            if (difference is null)
            {
                continue;
            }
            disagreements.Add($"{script.Name}: {difference}");
            if (!explained.ContainsKey(script.Name))
            {
                unexplained.Add($"{script.Name}: {difference}");
            }
        }

        var compared = ours.Values.Sum(o => o.Calls.Length);
        Assert.True(compared > 5_000, $"only {compared} commands compared");
        var installed = scripts.Count(s => !s.Name.StartsWith("corpus:", StringComparison.Ordinal));
        var unparseable = scripts.Where(s => !s.Name.StartsWith("corpus:", StringComparison.Ordinal) && !ours[s.Name].Result.Succeeded).ToArray();
        output.WriteLine($"{scripts.Length} scripts ({installed} installed, {scripts.Length - installed} corpus commands); " +
            $"{compared:N0} simple commands compared; unparseable installed scripts: {unparseable.Length} ({100.0 * unparseable.Length / installed:0.0} %); disagreements with mvdan/sh: {disagreements.Count}");
        foreach (var script in unparseable)
        {
            output.WriteLine($"  unparseable {script.Name}: {ours[script.Name].Result.Error}");
        }
        foreach (var line in disagreements)
        {
            output.WriteLine("  " + line);
        }
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} unexplained disagreement(s) with mvdan/sh:\n" + string.Join("\n", unexplained.Take(40)));
    }

    /// <summary>Each simple command's words as UTF-8 byte ranges ("start-end,..."), sorted: the shape the oracle prints.</summary>
    private static string[] Calls(string source, CommandList tree)
    {
        var bytes = new int[source.Length + 1];
        for (var i = 0; i < source.Length; i++)
        {
            bytes[i + 1] = bytes[i] + (char.IsHighSurrogate(source[i]) ? 4 : char.IsLowSurrogate(source[i]) ? 0 : Encoding.UTF8.GetByteCount(source.AsSpan(i, 1)));
        }
        // Commands inside backquotes that hold a backslash are parsed from the unescaped text, so their offsets are near, not exact.
        var escaped = new List<(int Start, int End)>();
        ShellSyntaxWalker.Walk(tree, node =>
        {
            if (node is CommandSubstitutionPart { Backquoted: true } backquote && source.AsSpan(backquote.Start, backquote.End - backquote.Start).Contains('\\'))
            {
                escaped.Add((backquote.Start, backquote.End));
            }
        });
        return ShellSyntaxWalker.SimpleCommands(tree)
            .Where(c => c.Words.Count > 0 || c.Assignments.Count > 0)
            .Where(c => c.Words.Count == 0 || c.Words[0].StaticValue != "let")
            .Where(c => !escaped.Any(e => c.Start > e.Start && c.Start < e.End))
            .Select(c => string.Join(",", c.Words.Select(w => $"{bytes[w.Start]}-{bytes[w.End]}")))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static string Serialize(JsonNode? call) => string.Join(",", call!.AsArray().Select(r => $"{r![0]}-{r[1]}"));

    private static string? CompareCalls(string[] ours, string[] reference)
    {
        if (ours.SequenceEqual(reference, StringComparer.Ordinal))
        {
            return null;
        }
        var onlyOurs = ours.Except(reference, StringComparer.Ordinal).Take(3);
        var onlyReference = reference.Except(ours, StringComparer.Ordinal).Take(3);
        return $"commands differ ({ours.Length} ours, {reference.Length} oracle); only ours: [{string.Join("; ", onlyOurs)}]; only oracle: [{string.Join("; ", onlyReference)}]";
    }

    private static async Task<Dictionary<string, JsonNode>> OracleAsync(Script[] scripts)
    {
        var oracle = Path.Combine(RepoPaths.Root, "tests", "e2e", "shell-oracle.js");
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "tests", "e2e", "node_modules", "mvdan-sh")),
            "mvdan-sh is not installed: run `npm ci` in tests/e2e (.ci/run does)");
        var info = new ProcessStartInfo("node", [oracle])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(scripts.Select(s => new { name = s.Name, source = s.Source })));
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "the oracle failed: " + await stderr);
        var answers = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var line in (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var answer = JsonNode.Parse(line)!;
            answers[answer["name"]!.GetValue<string>()] = answer;
        }
        Assert.Equal(scripts.Length, answers.Count);
        return answers;
    }

    private static Dictionary<string, string> Explained()
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Governance.Analysis.Tests", "Shell", "shell-differential-explained.txt");
        return File.ReadLines(path)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(" -- ", 2))
            .ToDictionary(p => p[0].Trim(), p => p.Length > 1 ? p[1].Trim() : "", StringComparer.Ordinal);
    }

    private static IEnumerable<Script> InstalledShellScripts()
    {
        if (!Directory.Exists(DpkgInfo))
        {
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(DpkgInfo).Order(StringComparer.Ordinal))
        {
            if (MaintainerScripts.Contains(Path.GetExtension(path), StringComparer.Ordinal) && ReadShell(path, requireShebang: true) is { } source)
            {
                yield return new Script("dpkg:" + Path.GetFileName(path), source);
            }
        }
        foreach (var list in Directory.EnumerateFiles(DpkgInfo, "*.list").Order(StringComparer.Ordinal))
        {
            foreach (var path in File.ReadLines(list))
            {
                if (path.EndsWith(".sh", StringComparison.Ordinal) && seen.Add(path) && File.Exists(path) && ReadShell(path, requireShebang: false) is { } source)
                {
                    yield return new Script("file:" + path, source);
                }
            }
        }
    }

    /// <summary>The text of a shell script: a #! line naming sh, bash or dash (any, for a .sh file), valid UTF-8, no NUL.</summary>
    private static string? ReadShell(string path, bool requireShebang)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Length > 2_000_000)
        {
            return null;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is DecoderFallbackException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOf('\n') is var n && n >= 0 ? n : text.Length)).ToString();
        if (!firstLine.StartsWith("#!", StringComparison.Ordinal))
        {
            return requireShebang ? null : text;
        }
        var words = firstLine[2..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var interpreter = words.Length == 0 ? "" : Path.GetFileName(words[0]) == "env" && words.Length > 1 ? words[1] : Path.GetFileName(words[0]);
        return interpreter is "sh" or "bash" or "dash" ? text : null;
    }

    private static IEnumerable<Script> CorpusCommands()
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "corpus"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject item || item["operation"]?.GetValue<string>() != "Bash")
                {
                    continue;
                }
                var context = item["context"];
                var command = context?["command"] ?? context?["tool_input"]?["command"];
                if (command?.GetValueKind() == JsonValueKind.String)
                {
                    yield return new Script($"corpus:{Path.GetFileName(path)}:{number}", command.GetValue<string>());
                }
            }
        }
    }
}
