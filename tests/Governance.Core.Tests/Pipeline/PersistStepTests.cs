using Governance.Abstractions.Decisions;
using Governance.Abstractions.Storage;
using Governance.TestKit;

namespace Governance.Core.Tests.Pipeline;

public sealed class PersistStepTests
{
    [Fact]
    public async Task Decide_EveryKindOfRequest_LeavesExactlyOneRecord()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)]);

        var decided = await harness.DecideAsync("Bash", new { command = "ls" });
        var cached = await harness.DecideAsync("Bash", new { command = "ls" });
        var rejected = await harness.DecideAsync("not valid!", new { command = "ls" });
        await harness.Store.FlushAsync(CancellationToken.None);

        var records = await harness.Store.QueryAsync(new DecisionQuery { SessionId = harness.SessionId, Limit = 100 }, CancellationToken.None);
        Assert.Equal(3, records.Count);
        Assert.Equal(
            new[] { decided.CorrelationId, cached.CorrelationId, rejected.CorrelationId }.Order(),
            records.Select(r => r.CorrelationId).Order());
        var cachedRecord = records.Single(r => r.CorrelationId == cached.CorrelationId);
        Assert.True(cachedRecord.Cached);
        var rejectedRecord = records.Single(r => r.CorrelationId == rejected.CorrelationId);
        Assert.Equal("error", rejectedRecord.Verdict);
        Assert.Contains("not a valid name", rejectedRecord.Error);
        Assert.Contains(rejected.CorrelationId, rejectedRecord.ResponseJson);
    }

    [Fact]
    public async Task Decide_Session_CreatedAndUpdatedWithMetrics()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)]);

        var first = await harness.DecideAsync("Bash", new { command = "ls" });
        var second = await harness.DecideAsync("Bash", new { command = "ls" });
        await harness.DecideAsync("Bash", new { });

        var session = await harness.Store.GetSessionAsync(harness.SessionId, CancellationToken.None);
        Assert.NotNull(session);
        Assert.Equal(3, session.Metrics.TotalRequests);
        Assert.Equal(1, session.Metrics.CacheHits);
        Assert.Equal(1, session.Metrics.CacheMisses);
        Assert.Equal(1, session.Metrics.Errors);
        Assert.Equal(first.CorrelationId, session.CorrelationIds[0]);
        Assert.Equal(second.DecisionId, session.DecisionIds[1]);
        Assert.True(session.UpdatedAt >= session.CreatedAt);
        Assert.Equal(session.Metrics, harness.Metrics.ForSession(harness.SessionId));
    }

    [Fact]
    public async Task Decide_StoreFails_DecisionStillReturnedWithWarning()
    {
        using var harness = new PipelineHarness([TestPersona.Says("p", Verdict.Allow, 0.99)]);
        harness.Store.Dispose(); // a store that can no longer write: the real fault, caused for real

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
        Assert.Contains(decision.Warnings, w => w.Code == "audit-write-failed");
        Assert.Equal(1, harness.Metrics.PersistFailures);
    }
}
