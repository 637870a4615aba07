using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

/// <summary>The script persona and plugin examples in README.md compile and do what the README says.</summary>
public sealed partial class ReadmeScriptExamplesTests
{
    private readonly RoslynScriptLoader _loader = new(NullLogger<RoslynScriptLoader>.Instance);
    private readonly string[] _blocks = CSharpBlock().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"))).Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public async Task ReadmePersonaScript_CompilesAndJudges()
    {
        var text = _blocks.Single(b => b.StartsWith("return new PersonaScript", StringComparison.Ordinal));

        var result = await _loader.LoadPersonaAsync("/pack/personas/release-guard.csx", "personas/release-guard.csx", text, CancellationToken.None);

        Assert.Empty(result.Errors);
        var persona = result.Persona!;
        Assert.True(persona.IsRelevant(Bash("npm publish")));
        Assert.Equal(Verdict.Ask, (await persona.EvaluateAsync(Bash("npm publish"), CancellationToken.None)).Verdict);
        Assert.Equal(Verdict.Allow, (await persona.EvaluateAsync(Bash("npm publish --dry-run"), CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task ReadmePluginScript_CompilesEnrichesAndChecks()
    {
        var text = _blocks.Single(b => b.StartsWith("return new PluginScript", StringComparison.Ordinal));

        var result = await _loader.LoadPluginAsync("/pack/plugins/ticket-facts.csx", "plugins/ticket-facts.csx", text, CancellationToken.None);

        Assert.Empty(result.Errors);
        Assert.Equal("GOV-123", result.Enricher!.Enrich(Bash("git commit -m 'GOV-123 fix'"), CancellationToken.None)["ticket"]);
        Assert.Empty(result.Check!.Check(Bash("git commit -m 'GOV-123 fix'"), CancellationToken.None));
        Assert.Equal("ticket-facts/no-ticket", Assert.Single(result.Check.Check(Bash("git commit -m 'fix'"), CancellationToken.None)).Code);
    }

    private static Operation Bash(string command) => new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
