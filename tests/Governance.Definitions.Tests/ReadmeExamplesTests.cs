using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;
using Governance.TestKit;

namespace Governance.Definitions.Tests;

/// <summary>The persona and rule examples in README.md load and behave as the README says.</summary>
public sealed partial class ReadmeExamplesTests : IDisposable
{
    private readonly PackBuilder _pack = new();

    [Fact]
    public async Task ReadmeExamples_LoadWithoutErrorsAndDecideAsDescribed()
    {
        var blocks = YamlBlock().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"))).Select(m => m.Groups[1].Value).ToArray();
        var persona = blocks.Single(b => b.StartsWith("id: ", StringComparison.Ordinal));
        var rule = blocks.Single(b => b.StartsWith("WorkflowName: ", StringComparison.Ordinal));
        var id = persona.Split('\n')[0]["id: ".Length..].Trim();

        var snapshot = await _pack.Persona(id, persona).Rules("example.yaml", rule).LoadAsync();

        Assert.Empty(snapshot.LoadErrors);
        var publish = Analysed("bash -c 'npm publish --access public'");
        var verdict = await snapshot.FindPersona(id)!.EvaluateAsync(publish, CancellationToken.None);
        Assert.Equal(Verdict.Ask, verdict.Verdict);
        var dryRun = await snapshot.FindPersona(id)!.EvaluateAsync(Analysed("npm publish --dry-run"), CancellationToken.None);
        Assert.Equal(Verdict.Allow, dryRun.Verdict);
        var mentioned = await snapshot.FindPersona(id)!.EvaluateAsync(Analysed("git commit -m 'prepare npm publish'"), CancellationToken.None);
        Assert.Equal(Verdict.Allow, mentioned.Verdict);
        var panel = new PersonaPanelSummary { Verdicts = new() { ["security-reviewer"] = "ask" } };
        var fired = await snapshot.Rules.EvaluateAsync(publish, panel, CancellationToken.None);
        Assert.Equal(RuleEffect.Deny, Assert.Single(fired).Effect);
        var quiet = await snapshot.Rules.EvaluateAsync(publish, new PersonaPanelSummary(), CancellationToken.None);
        Assert.Empty(quiet);
    }

    private static Operation Analysed(string command)
    {
        var operation = new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };
        return operation with { Analysis = OperationAnalyzer.Analyze(operation, AnalysisScope.Create("/repo", "", new AnalysisSettings(), "")) };
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    public void Dispose() => _pack.Dispose();
}
