using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class CacheStepTests
{
    [Fact]
    public async Task Decide_SameQuestionTwice_SecondIsCachedWithFreshIds()
    {
        var persona = TestPersona.Says("p", Verdict.Allow, 0.99);
        using var harness = new PipelineHarness([persona]);

        var first = await harness.DecideAsync("Bash", new { command = "ls", session_id = "s1" });
        var second = await harness.DecideAsync("Bash", new { command = "ls", session_id = "s2" });

        Assert.False(first.Cached);
        Assert.True(second.Cached);
        Assert.Equal(1, persona.Calls);
        Assert.NotEqual(first.DecisionId, second.DecisionId);
        Assert.NotEqual(first.CorrelationId, second.CorrelationId);
        Assert.Equal("s2", second.SessionId);
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(1, harness.Metrics.Global.CacheHits);
        Assert.Equal(1, harness.Metrics.Global.CacheMisses);
    }

    [Fact]
    public async Task Decide_AfterPolicySwap_NotServedFromOldRevision()
    {
        var persona = TestPersona.Says("p", Verdict.Allow, 0.99);
        using var harness = new PipelineHarness([persona]);
        await harness.DecideAsync("Bash", new { command = "ls" });
        var old = harness.Policy.Current;

        harness.Policy.Swap(new PolicySnapshot { Revision = "rev-2", Personas = old.Personas, Rules = old.Rules, Thresholds = old.Thresholds });
        var after = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.False(after.Cached);
        Assert.Equal("rev-2", after.PolicyRevision);
        Assert.Equal(2, persona.Calls);
    }

    [Fact]
    public async Task Decide_DecisionWithFailedPersona_IsNotCached()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99), TestPersona.Throws("x")]);

        await harness.DecideAsync("Bash", new { command = "ls" });
        var second = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.False(second.Cached);
    }

    [Fact]
    public async Task Decide_Rejections_AreNotCached()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)]);

        await harness.DecideAsync("Bash", new { cwd = "/" });
        await harness.DecideAsync("Bash", new { cwd = "/" });

        Assert.Equal(0, harness.Cache.Count);
        Assert.Equal(2, harness.Metrics.Global.Errors);
    }
}
