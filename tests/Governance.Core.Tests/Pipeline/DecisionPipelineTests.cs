using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Pipeline;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class DecisionPipelineTests
{
    [Fact]
    public void Order_PersistWrapsEveryStageInTheDocumentedOrder()
    {
        Assert.Equal(
            ["persist", "validate", "cache", "analysis", "enrichment", "persona-fan-out", "plugin-checks", "rule-evaluation", "aggregation", "warnings"],
            DecisionPipeline.Order);
    }

    [Fact]
    public void Constructor_StepsRegisteredInAnyOrder_RunInDeclaredOrder()
    {
        using var harness = new PipelineHarness([TestPersona.Says("a", Verdict.Allow, 0.99)]);

        var names = harness.Pipeline.Steps.Select(s => s.Name).ToArray();

        Assert.Equal(DecisionPipeline.Order, names);
        Assert.IsType<PersistStep>(harness.Pipeline.Steps[0]);
        Assert.IsType<ValidationStep>(harness.Pipeline.Steps[1]);
        Assert.IsType<WarningsStep>(harness.Pipeline.Steps[^1]);
    }

    [Fact]
    public async Task RunAsync_ValidRequest_VisitsEveryStepInOrder()
    {
        var visits = new List<string>();
        var pipeline = new DecisionPipeline(DecisionPipeline.Order.Select(n => (IDecisionStep)new RecordingStep(n, visits)));

        await pipeline.RunAsync(NewContext());

        Assert.Equal([.. DecisionPipeline.Order, "persist:warnings"], visits);
    }

    [Fact]
    public async Task RunAsync_StepAnswersEarly_LaterStepsSkippedAndPersistSeesTheAnswerLast()
    {
        var visits = new List<string>();
        var steps = DecisionPipeline.Order.Select(n => (IDecisionStep)new RecordingStep(n, visits, answers: n == "cache")).ToList();
        var pipeline = new DecisionPipeline(steps);

        var decision = await pipeline.RunAsync(NewContext());

        Assert.Equal(["persist", "validate", "cache", "persist:cache"], visits);
        Assert.Equal("from cache", decision.Summary);
    }

    [Fact]
    public async Task Decide_ValidationRejection_RecordedOnceByTheOutermostStep()
    {
        using var harness = new PipelineHarness([TestPersona.Says("a", Verdict.Allow, 0.99)]);

        var decision = await harness.DecideAsync("not a valid name!", new { command = "ls" });

        Assert.NotNull(decision.Error);
        await harness.Store.FlushAsync(CancellationToken.None);
        var stored = await harness.Store.QueryAsync(new Abstractions.Storage.DecisionQuery { Limit = 10 }, CancellationToken.None);
        Assert.Equal(decision.DecisionId, Assert.Single(stored).DecisionId);
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

    private sealed class RecordingStep(string name, List<string> visits, bool answers = false) : IDecisionStep
    {
        public string Name => name;

        public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
        {
            visits.Add(name);
            if (answers)
            {
                return new Decision { DecisionId = "d", CorrelationId = "c", SessionId = "s", Summary = "from " + name };
            }
            if (name == "warnings")
            {
                context.Decision = new Decision { DecisionId = "d", CorrelationId = "c", SessionId = "s", Summary = "from warnings" };
            }
            var decision = await next(context);
            if (name == "persist")
            {
                visits.Add("persist:" + decision.Summary[5..]);
            }
            return decision;
        }
    }
}
