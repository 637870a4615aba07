using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;

namespace Governance.Definitions.Tests;

public sealed class RuleSetTests : IDisposable
{
    private readonly PackBuilder _pack = new();

    private const string JsonWorkflow = """
        [
          {
            "WorkflowName": "git-safety",
            "Rules": [
              {
                "RuleName": "force-push",
                "Expression": "operation.Command.Contains(\"push\") && operation.Command.Contains(\"--force\")",
                "SuccessEvent": "Force pushes rewrite history.",
                "Properties": { "effect": "deny", "severity": "critical", "recommendation": "Push a feature branch." }
              },
              {
                "RuleName": "two-asks",
                "Expression": "personas.AskCount >= 2",
                "SuccessEvent": "Several personas hesitate.",
                "Properties": { "effect": "ask", "severity": "medium" }
              }
            ]
          }
        ]
        """;

    private const string YamlWorkflow = """
        WorkflowName: paths
        Rules:
          - RuleName: etc-write
            Expression: operation.Kind == "file_write" && operation.FilePath.StartsWith("/etc/")
            SuccessEvent: System configuration is off limits.
            Properties:
              effect: deny
              severity: high
          - RuleName: disabled-rule
            Enabled: false
            Expression: "true"
            Properties: { effect: deny }
          - RuleName: regex-rule
            Expression: Regex.IsMatch(operation.Url, "^http://")
            SuccessEvent: Plain HTTP.
            Properties: { effect: warn, severity: low }
        """;

    [Fact]
    public async Task Evaluate_JsonWorkflow_FiresWithEffectSeverityAndRecommendation()
    {
        var snapshot = await _pack.Rules("git.json", JsonWorkflow).LoadAsync();

        var fired = await snapshot.Rules.EvaluateAsync(Command("git push --force origin main"), new PersonaPanelSummary(), CancellationToken.None);

        Assert.Empty(snapshot.LoadErrors);
        var outcome = Assert.Single(fired);
        Assert.Equal(("git-safety/force-push", RuleEffect.Deny, Severity.Critical), (outcome.Id, outcome.Effect, outcome.Severity));
        Assert.Equal("Force pushes rewrite history.", outcome.Message);
        Assert.Equal("Push a feature branch.", outcome.Recommendation);
    }

    [Fact]
    public async Task Evaluate_PersonaPanelInput_Usable()
    {
        var snapshot = await _pack.Rules("git.json", JsonWorkflow).LoadAsync();

        var fired = await snapshot.Rules.EvaluateAsync(Command("ls"), new PersonaPanelSummary { AskCount = 2 }, CancellationToken.None);

        Assert.Equal(["git-safety/two-asks"], fired.Select(f => f.Id));
    }

    [Fact]
    public async Task Evaluate_YamlWorkflow_TypedScalarsDisabledRulesAndRegex()
    {
        var snapshot = await _pack.Rules("paths.yaml", YamlWorkflow).LoadAsync();
        var write = new Operation { Kind = OperationKinds.FileWrite, Name = "Write", FilePath = "/etc/hosts", Url = "http://x" };

        var fired = await snapshot.Rules.EvaluateAsync(write, new PersonaPanelSummary(), CancellationToken.None);

        Assert.Empty(snapshot.LoadErrors);
        Assert.Equal(["paths/etc-write", "paths/regex-rule"], fired.Select(f => f.Id).Order());
        Assert.Contains(snapshot.Rules.Rules, r => r.Rule == "disabled-rule" && !r.Enabled);
    }

    [Fact]
    public async Task Load_ExpressionSyntaxError_ReportedWithRuleNameAndFileLeftOut()
    {
        var broken = """
            WorkflowName: broken
            Rules:
              - RuleName: bad-syntax
                Expression: operation.Command.Contains("x" &&
                Properties: { effect: deny }
            """;

        var snapshot = await _pack.Rules("broken.yaml", broken).Rules("git.json", JsonWorkflow).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal("rules/broken.yaml", error.File);
        Assert.Contains("broken/bad-syntax", error.Message);
        Assert.DoesNotContain(snapshot.Rules.Rules, r => r.Workflow == "broken");
        Assert.Contains(snapshot.Rules.Rules, r => r.Workflow == "git-safety");
    }

    [Fact]
    public async Task Load_UnknownProperty_ReportedWithTypeName()
    {
        var broken = """
            WorkflowName: broken
            Rules:
              - RuleName: no-such-field
                Expression: operation.Shell == "bash"
                Properties: { effect: ask }
            """;

        var snapshot = await _pack.Rules("broken.yaml", broken).LoadAsync();

        Assert.Contains("Shell", Assert.Single(snapshot.LoadErrors).Message);
    }

    [Theory]
    [InlineData("effect: block", "Properties.effect 'block' must be one of deny, ask, warn")]
    [InlineData("severity: huge, effect: deny", "Properties.severity 'huge'")]
    public async Task Load_BadProperties_Reported(string properties, string expected)
    {
        var yaml = $$"""
            WorkflowName: props
            Rules:
              - RuleName: r
                Expression: "true"
                Properties: { {{properties}} }
            """;

        var snapshot = await _pack.Rules("props.yaml", yaml).LoadAsync();

        Assert.Contains(expected, Assert.Single(snapshot.LoadErrors).Message);
    }

    [Fact]
    public async Task Load_InvalidJson_ReportedWithLine()
    {
        var snapshot = await _pack.Rules("bad.json", "[\n  { \"WorkflowName\": \"x\",\n    \"Rules\": [ oops ] }\n]").LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal(3, error.Line);
        Assert.Contains("invalid JSON", error.Message);
    }

    [Fact]
    public async Task Load_DuplicateWorkflowName_SecondFileRejected()
    {
        var snapshot = await _pack.Rules("a.json", JsonWorkflow).Rules("b.json", JsonWorkflow).LoadAsync();

        Assert.Contains("already defined in rules/a.json", Assert.Single(snapshot.LoadErrors).Message);
    }

    private static Operation Command(string command) => new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };

    public void Dispose() => _pack.Dispose();
}
