using Bogus;
using Governance.Abstractions.Decisions;
using Governance.Core.Serialization;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class GovernanceEngineFuzzTests
{
    [Fact]
    public async Task Decide_ThousandsOfRandomRequests_DecisionOrStructuredErrorNeverException()
    {
        var faker = new Faker { Random = new Randomizer(Fakers.DefaultSeed) };
        using var harness = new PipelineHarness(
            [TestPersona.Says("p", Verdict.Allow, 0.99), new Governance.Core.Personas.CoreSafetyPersona()],
            limits: new Governance.Core.Validation.RequestLimits { MaxContextBytes = 64 * 1024 },
            durability: "batched");
        int decisions = 0, errors = 0;

        for (var i = 0; i < 3000; i++)
        {
            var operation = Fakers.Operation(faker);
            var context = Fakers.Context(faker);
            var decision = await harness.DecideAsync(operation, context is null ? null : PipelineHarness.ToElement(context.ToJsonString()));

            var json = GovernanceJson.Serialize(decision);
            Assert.False(string.IsNullOrEmpty(json));
            if (decision.Error is { } error)
            {
                errors++;
                Assert.NotEmpty(error.Error);
                Assert.Equal(decision.CorrelationId, error.CorrelationId);
                Assert.NotEqual("internal_error", error.Code);
            }
            else
            {
                decisions++;
                Assert.InRange(decision.Confidence, 0, 1);
            }
        }

        Assert.True(decisions > 1000, $"only {decisions} decisions");
        Assert.True(errors > 50, $"only {errors} errors");
        Assert.Equal(3000, harness.Metrics.Global.TotalRequests);
    }
}
