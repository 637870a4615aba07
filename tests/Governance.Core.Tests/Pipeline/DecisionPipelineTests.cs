using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Pipeline;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class DecisionPipelineTests
{
    [Fact]
    public void Order_IsValidateCacheFanOutRulesWarningsPersist()
    {
        Assert.Equal(
            ["validate", "cache", "persona-fan-out", "rule-evaluation", "warnings", "persist"],
            DecisionPipeline.Order);
    }

    [Fact]
    public void Constructor_StepsRegisteredInAnyOrder_RunInDeclaredOrder()
    {
        using var harness = new PipelineHarness([TestPersona.Says("a", Verdict.Allow, 0.99)]);

        var names = harness.Pipeline.Steps.Select(s => s.Name).ToArray();

        Assert.Equal(DecisionPipeline.Order, names);
        Assert.IsType<ValidationStep>(harness.Pipeline.Steps[0]);
        Assert.IsType<PersistStep>(harness.Pipeline.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_ValidRequest_VisitsEveryStepInOrder()
    {
        var visits = new List<string>();
        var pipeline = new DecisionPipeline(DecisionPipeline.Order.Select(n => (IDecisionStep)new RecordingStep(n, visits)));

        await pipeline.RunAsync(NewContext());

        Assert.Equal(DecisionPipeline.Order, visits);
    }

    [Fact]
    public async Task RunAsync_SettledEarly_SkipsEvaluationButPersistStillSeesIt()
    {
        var visits = new List<string>();
        var steps = DecisionPipeline.Order.Select(n => (IDecisionStep)new RecordingStep(n, visits, settles: n == "cache")).ToList();
        var pipeline = new DecisionPipeline(steps);

        await pipeline.RunAsync(NewContext());

        Assert.Equal(["validate", "cache", "persist"], visits);
    }

    [Fact]
    public void Constructor_MissingStep_ThrowsNamingIt()
    {
        var steps = DecisionPipeline.Order.Where(n => n != "rule-evaluation").Select(n => (IDecisionStep)new RecordingStep(n, []));

        var error = Assert.Throws<InvalidOperationException>(() => new DecisionPipeline(steps));

        Assert.Contains("rule-evaluation", error.Message);
    }

    [Fact]
    public void Constructor_UnknownStep_ThrowsNamingIt()
    {
        var steps = DecisionPipeline.Order.Append("telemetry").Select(n => (IDecisionStep)new RecordingStep(n, []));

        var error = Assert.Throws<InvalidOperationException>(() => new DecisionPipeline(steps));

        Assert.Contains("telemetry", error.Message);
    }

    private static DecisionContext NewContext() => new()
    {
        CorrelationId = "c",
        DecisionId = "d",
        RawOperation = "Bash",
        ConnectionSessionId = "s",
        Policy = new Abstractions.Policy.PolicySnapshot
        {
            Revision = "r",
            Personas = [],
            Rules = new FixedRules(),
            Thresholds = new(),
        },
        ReceivedAt = DateTimeOffset.UnixEpoch,
        StartTimestamp = 0,
    };

    private sealed class RecordingStep(string name, List<string> visits, bool settles = false) : IDecisionStep
    {
        public string Name => name;

        public bool SeesSettledRequests => name == "persist";

        public ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
        {
            visits.Add(name);
            if (settles || name == "warnings")
            {
                context.Decision = new Decision { DecisionId = "d", CorrelationId = "c", SessionId = "s" };
            }
            return next(context);
        }
    }
}
