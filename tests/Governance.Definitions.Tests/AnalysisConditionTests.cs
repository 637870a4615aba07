using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Definitions.Tests;

/// <summary>YAML checks and RulesEngine rules that read the operation analysis instead of the raw command text.</summary>
public sealed class AnalysisConditionTests : IDisposable
{
    private const string Persona = """
        id: deletion-test
        name: Deletion Test
        default:
          verdict: allow
          confidence: 0.97
          guidance: Nothing to add.
        checks:
          - id: wipe-home
            when:
              effect: delete
              flags: [recursive]
              target: [home, root]
            verdict: deny
            confidence: 0.95
            guidance: Delete the directory you mean inside the workspace.
          - id: outside
            when:
              effect: delete
              target: [outside-workspace]
              not_target: [temp, home, root]
            verdict: ask
            confidence: 0.8
            guidance: Confirm the path.
          - id: kubectl-delete
            when:
              executes: '^kubectl\s+delete\b'
            verdict: ask
            confidence: 0.8
            guidance: Check the context first.
          - id: force-to-protected
            when:
              effect: git-(push|branch-delete)
              flags: [force, protected]
              detail: '^main$'
            verdict: deny
            confidence: 0.95
            guidance: Push a feature branch.
        """;

    private readonly PackBuilder _pack = new();

    private static Operation Analysed(string command, string cwd = "/home/dev/project")
    {
        var operation = new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command, Cwd = cwd };
        return operation with { Analysis = OperationAnalyzer.Analyze(operation, AnalysisScope.Create(cwd, "", new AnalysisSettings(), "")) };
    }

    private async Task<IPersona> Load()
    {
        var snapshot = await _pack.Persona("deletion-test", Persona).LoadAsync();
        Assert.Empty(snapshot.LoadErrors);
        return snapshot.FindPersona("deletion-test")!;
    }

    [Theory]
    [InlineData("rm -rf ~", "deny", "wipe-home")]
    [InlineData("FOO=1 sudo rm -r -f $HOME/", "deny", "wipe-home")]
    [InlineData("bash -c 'cd / && rm -rf *'", "deny", "wipe-home")]
    [InlineData("rm -rf /srv/data", "ask", "outside")]
    [InlineData("rm -rf /tmp/build-1", "allow", null)]
    [InlineData("rm -rf node_modules", "allow", null)]
    [InlineData("grep -r \"rm -rf ~\" src/", "allow", null)]
    [InlineData("echo 'kubectl delete ns prod'", "allow", null)]
    [InlineData("timeout 5 kubectl delete pod api-1", "ask", "kubectl-delete")]
    [InlineData("git push --force origin main", "deny", "force-to-protected")]
    [InlineData("git push --force origin feature/x", "allow", null)]
    public async Task Evaluate_AnalysisConditions_JudgeWhatRuns(string command, string expected, string? check)
    {
        var persona = await Load();

        var verdict = await persona.EvaluateAsync(Analysed(command), CancellationToken.None);

        Assert.Equal(expected, verdict.Verdict.ToWire());
        if (check is not null)
        {
            Assert.Contains(check, verdict.MatchedChecks);
        }
    }

    [Fact]
    public async Task Load_UnknownPathClassAndFlagsWithoutEffect_ReportedWithAllowedValues()
    {
        var snapshot = await _pack.Persona("bad-analysis", """
            id: bad-analysis
            name: Bad
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: typo
                when: { effect: delete, target: [hom] }
                verdict: deny
                confidence: 0.9
                guidance: x
              - id: orphan-flags
                when: { operations: [command_execution], flags: [recursive] }
                verdict: deny
                confidence: 0.9
                guidance: x
            """).LoadAsync();

        var messages = string.Join("\n", snapshot.LoadErrors.Select(e => e.Message));
        Assert.Contains("unknown path class 'hom'; use one of root, system, home,", messages);
        Assert.Contains("flags, not_flags, target, not_target and detail qualify an effect: add when.effect", messages);
        Assert.Null(snapshot.FindPersona("bad-analysis"));
    }

    [Fact]
    public async Task Rule_AnalysisExpression_FiresOnTheAnalysedEffect()
    {
        var snapshot = await _pack.Rules("analysis.yaml", """
            WorkflowName: analysis
            Rules:
              - RuleName: home-wipe
                Expression: analysis.HasRecursiveDelete && analysis.Targets.Any(t => t.IsHome)
                SuccessEvent: Recursive delete of the home directory.
                RuleExpressionType: LambdaExpression
                Properties: { effect: deny, severity: critical }
              - RuleName: same-through-operation
                Expression: operation.Analysis.Effects.Any(e => e.Kind == "delete" && e.HasFlag("recursive") && e.Targets.Any(t => t.IsCatastrophicDeleteTarget))
                SuccessEvent: Catastrophic delete.
                RuleExpressionType: LambdaExpression
                Properties: { effect: deny, severity: critical }
            """).LoadAsync();
        Assert.Empty(snapshot.LoadErrors);

        var fired = await snapshot.Rules.EvaluateAsync(Analysed("X=rm; $X -rf ~"), new PersonaPanelSummary(), CancellationToken.None);
        var quiet = await snapshot.Rules.EvaluateAsync(Analysed("grep -r 'rm -rf ~' docs/"), new PersonaPanelSummary(), CancellationToken.None);

        Assert.Equal(["home-wipe", "same-through-operation"], fired.Select(r => r.Rule).Order());
        Assert.All(fired, r => Assert.Equal(RuleEffect.Deny, r.Effect));
        Assert.Empty(quiet);
    }

    public void Dispose() => _pack.Dispose();
}
