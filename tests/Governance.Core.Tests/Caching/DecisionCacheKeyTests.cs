using Governance.Core.Caching;
using Governance.TestKit;

namespace Governance.Core.Tests.Caching;

public sealed class DecisionCacheKeyTests
{
    [Fact]
    public void Compute_SameContextDifferentKeyOrder_SameKey()
    {
        var a = PipelineHarness.ToElement("""{"command":"ls","cwd":"/r","nested":{"x":1,"y":[1,2]}}""");
        var b = PipelineHarness.ToElement("""{"nested":{"y":[1,2],"x":1},"cwd":"/r","command":"ls"}""");

        Assert.Equal(DecisionCacheKey.Compute("r1", "Bash", null, a), DecisionCacheKey.Compute("r1", "Bash", null, b));
    }

    [Fact]
    public void Compute_VolatileIdsIgnored_SameKey()
    {
        var a = PipelineHarness.ToElement("""{"command":"ls","session_id":"s1","tool_use_id":"t1"}""");
        var b = PipelineHarness.ToElement("""{"command":"ls","session_id":"s2","tool_use_id":"t2","transcript_path":"/x"}""");

        Assert.Equal(DecisionCacheKey.Compute("r1", "Bash", null, a), DecisionCacheKey.Compute("r1", "Bash", null, b));
    }

    [Theory]
    [InlineData("r2", "Bash", null, """{"command":"ls"}""")]
    [InlineData("r1", "command_execution", null, """{"command":"ls"}""")]
    [InlineData("r1", "Bash", "security-reviewer", """{"command":"ls"}""")]
    [InlineData("r1", "Bash", null, """{"command":"ls -la"}""")]
    [InlineData("r1", "Bash", null, """{"command":"ls","cwd":"/other"}""")]
    public void Compute_AnyMeaningfulDifference_DifferentKey(string revision, string operation, string? persona, string context)
    {
        var baseline = DecisionCacheKey.Compute("r1", "Bash", null, PipelineHarness.ToElement("""{"command":"ls"}"""));

        Assert.NotEqual(baseline, DecisionCacheKey.Compute(revision, operation, persona, PipelineHarness.ToElement(context)));
    }
}
