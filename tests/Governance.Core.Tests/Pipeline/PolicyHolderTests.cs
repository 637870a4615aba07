using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.Core.Policy;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class PolicyHolderTests
{
    [Fact]
    public async Task Decide_BeforeFirstLoad_WaitsForTheRealPolicy()
    {
        using var harness = new PipelineHarness([TestPersona.Says("real", Verdict.Allow, 0.99)]);
        var loaded = harness.Policy.Current;
        var holder = new PolicyHolder(new PolicySnapshot { Revision = "placeholder", Personas = [], Rules = new FixedRules(), Thresholds = new() }, loaded: false);
        var engine = new GovernanceEngine(harness.Pipeline, holder, harness.Metrics, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<GovernanceEngine>.Instance);

        var pending = engine.DecideAsync(new GovernanceRequest("Bash", PipelineHarness.ToElement(new { command = "ls" }), "s"), CancellationToken.None).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);

        holder.Swap(loaded);
        var decision = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("rev-1", decision.PolicyRevision);
        Assert.True(decision.PersonaGuidance.ContainsKey("real"));
    }

    [Fact]
    public void Swap_ReturnsPreviousAndServesNext()
    {
        var first = new PolicySnapshot { Revision = "a", Personas = [], Rules = new FixedRules(), Thresholds = new() };
        var second = new PolicySnapshot { Revision = "b", Personas = [], Rules = new FixedRules(), Thresholds = new() };
        var holder = new PolicyHolder(first);

        Assert.True(holder.Loaded.IsCompleted);
        Assert.Same(first, holder.Swap(second));
        Assert.Same(second, holder.Current);
    }
}
