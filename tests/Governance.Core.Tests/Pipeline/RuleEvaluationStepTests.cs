using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class RuleEvaluationStepTests
{
    [Fact]
    public async Task Decide_RuleDenies_VerdictDenyWithWarningAndRecommendation()
    {
        var rules = new FixedRules(new RuleOutcome("git-safety", "no-force", RuleEffect.Deny, Severity.Critical, "Force push rewrites history.", "Push a branch."));
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)], rules);

        var decision = await harness.DecideAsync("Bash", new { command = "git push -f" });

        Assert.Equal(Verdict.Deny, decision.Verdict);
        Assert.Equal(["git-safety/no-force"], decision.RulesFired);
        Assert.Contains(decision.Warnings, w => w.Code == "git-safety/no-force" && w.Severity == Severity.Critical);
        Assert.Contains("Push a branch.", decision.Recommendations);
    }

    [Fact]
    public async Task Decide_RulesSeeThePersonaPanel()
    {
        var rules = new FixedRules();
        using var harness = new PipelineHarness([TestPersona.Says("a", Verdict.Allow, 0.99), TestPersona.Says("b", Verdict.Ask, 0.7), TestPersona.Throws("c")], rules);

        await harness.DecideAsync("Bash", new { command = "ls" });

        var panel = rules.LastPanel!;
        Assert.Equal((3, 1, 1, 0, 1), (panel.ConsultedCount, panel.AllowCount, panel.AskCount, panel.DenyCount, panel.FailedCount));
        Assert.True(panel.Said("b", "ask"));
        Assert.Equal("failed", panel.Verdicts["c"]);
    }

    [Fact]
    public async Task Decide_RuleEngineThrows_DecisionWithWarning()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)], new FixedRules { Throw = true });

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Null(decision.Error);
        Assert.Contains(decision.Warnings, w => w.Code == "rules-failed");
        Assert.Equal(1, harness.Metrics.RuleFailures);
    }
}
