using Governance.Abstractions.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>The session record kept next to the decisions: timestamps, id history and metrics.</summary>
public sealed class SessionTrackingTests
{
    private static StoreHarness Store(string durability = "sync", int sessionIdHistory = 1000) =>
        durability == "sync"
            ? new(new LiteDbStoreOptions { Durability = "sync", SessionIdHistory = sessionIdHistory }, new FakeTimeProvider(SampleRecords.Epoch))
            : new(new LiteDbStoreOptions { Durability = durability, SessionIdHistory = sessionIdHistory, BatchWindow = TimeSpan.FromMilliseconds(20) });

    private static async Task AppendAll(StoreHarness harness, IEnumerable<DecisionRecord> records)
    {
        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        await harness.Store.FlushAsync(CancellationToken.None).Within();
    }

    private static async Task<SessionRecord> Session(StoreHarness harness, string id) =>
        await harness.Store.GetSessionAsync(id, CancellationToken.None).Within() ?? throw new Xunit.Sdk.XunitException($"session {id} was not stored");

    [Fact]
    public async Task GetSessionAsync_UnknownSession_ReturnsNull()
    {
        using var harness = Store();
        await AppendAll(harness, [SampleRecords.Make("d1", sessionId: "known")]);

        Assert.Null(await harness.Store.GetSessionAsync("unknown", CancellationToken.None).Within());
    }

    [Fact]
    public async Task AppendAsync_FirstRecordOfSession_CreatesSessionFromRecord()
    {
        using var harness = Store();
        var at = SampleRecords.Epoch.AddMilliseconds(250);
        await AppendAll(harness, [SampleRecords.Make("d1", sessionId: "s1", correlationId: "c1", timestamp: at, elapsedMs: 42.5)]);

        var session = await Session(harness, "s1");

        Assert.Equal("s1", session.SessionId);
        Assert.Equal(at, session.CreatedAt);
        Assert.Equal(at, session.UpdatedAt);
        Assert.Equal(["c1"], session.CorrelationIds);
        Assert.Equal(["d1"], session.DecisionIds);
        Assert.Equal(new SessionMetrics { TotalRequests = 1, CacheHits = 0, CacheMisses = 1, Errors = 0, AvgResponseTime = 42.5 }, session.Metrics);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_LaterRecords_UpdateUpdatedAtAndAppendIdsInOrder(string durability)
    {
        using var harness = Store(durability);
        var records = Enumerable.Range(1, 5)
            .Select(i => SampleRecords.Make("d" + i, sessionId: "s1", correlationId: "c" + i, timestamp: SampleRecords.Epoch.AddMinutes(i)))
            .ToArray();
        await AppendAll(harness, records);

        var session = await Session(harness, "s1");

        Assert.Equal(SampleRecords.Epoch.AddMinutes(1), session.CreatedAt);
        Assert.Equal(SampleRecords.Epoch.AddMinutes(5), session.UpdatedAt);
        Assert.Equal(["c1", "c2", "c3", "c4", "c5"], session.CorrelationIds);
        Assert.Equal(["d1", "d2", "d3", "d4", "d5"], session.DecisionIds);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_HitsMissesAndErrors_MetricsCountExactly(string durability)
    {
        using var harness = Store(durability);
        await AppendAll(harness,
        [
            SampleRecords.Make("miss-1", cached: false, elapsedMs: 10),
            SampleRecords.Make("hit-1", cached: true, elapsedMs: 20),
            SampleRecords.Make("error-1", verdict: "error", error: "context must be a JSON object", elapsedMs: 30),
            SampleRecords.Make("miss-2", cached: false, elapsedMs: 40),
            SampleRecords.Make("hit-2", cached: true, elapsedMs: 50),
            SampleRecords.Make("error-2", verdict: "error", error: "", elapsedMs: 0),
        ]);

        var metrics = (await Session(harness, "session-1")).Metrics;

        Assert.Equal(6, metrics.TotalRequests);
        Assert.Equal(2, metrics.CacheHits);
        Assert.Equal(2, metrics.CacheMisses);
        Assert.Equal(2, metrics.Errors);
        Assert.Equal(25.0, metrics.AvgResponseTime, 9);
    }

    [Fact]
    public async Task AppendAsync_SeededRecords_MetricsMatchCountsAndMeanOfRecords()
    {
        using var harness = Store("batched");
        var faker = SampleRecords.Seeded(5);
        var records = Enumerable.Range(0, 200).Select(i => SampleRecords.Random(faker, "s", SampleRecords.Epoch.AddMilliseconds(i))).ToArray();
        await AppendAll(harness, records);

        var metrics = (await Session(harness, "s")).Metrics;

        Assert.Equal(200, metrics.TotalRequests);
        Assert.Equal(records.Count(r => r.Cached), metrics.CacheHits);
        Assert.Equal(records.Count(r => !r.Cached && r.Error is null), metrics.CacheMisses);
        Assert.Equal(records.Count(r => r.Error is not null), metrics.Errors);
        Assert.Equal(records.Average(r => r.ElapsedMs), metrics.AvgResponseTime, 6);
    }

    [Fact]
    public async Task AppendAsync_TwoSessions_KeepSeparateRecords()
    {
        using var harness = Store();
        await AppendAll(harness,
        [
            SampleRecords.Make("a1", sessionId: "alpha", elapsedMs: 10, timestamp: SampleRecords.Epoch),
            SampleRecords.Make("b1", sessionId: "beta", elapsedMs: 100, cached: true, timestamp: SampleRecords.Epoch.AddSeconds(1)),
            SampleRecords.Make("a2", sessionId: "alpha", elapsedMs: 30, timestamp: SampleRecords.Epoch.AddSeconds(2)),
        ]);

        var alpha = await Session(harness, "alpha");
        var beta = await Session(harness, "beta");

        Assert.Equal(["a1", "a2"], alpha.DecisionIds);
        Assert.Equal(new SessionMetrics { TotalRequests = 2, CacheMisses = 2, AvgResponseTime = 20 }, alpha.Metrics);
        Assert.Equal(["b1"], beta.DecisionIds);
        Assert.Equal(new SessionMetrics { TotalRequests = 1, CacheHits = 1, AvgResponseTime = 100 }, beta.Metrics);
        Assert.Equal(SampleRecords.Epoch.AddSeconds(1), beta.CreatedAt);
    }

    [Fact]
    public async Task AppendAsync_AfterReopen_ContinuesTheStoredSession()
    {
        using var harness = Store();
        await AppendAll(harness,
        [
            SampleRecords.Make("d1", sessionId: "s1", elapsedMs: 10, timestamp: SampleRecords.Epoch),
            SampleRecords.Make("d2", sessionId: "s1", elapsedMs: 20, cached: true, timestamp: SampleRecords.Epoch.AddSeconds(1)),
        ]);

        harness.Reopen();
        await AppendAll(harness, [SampleRecords.Make("d3", sessionId: "s1", elapsedMs: 60, timestamp: SampleRecords.Epoch.AddSeconds(2))]);
        var session = await Session(harness, "s1");

        Assert.Equal(SampleRecords.Epoch, session.CreatedAt);
        Assert.Equal(SampleRecords.Epoch.AddSeconds(2), session.UpdatedAt);
        Assert.Equal(["d1", "d2", "d3"], session.DecisionIds);
        Assert.Equal(new SessionMetrics { TotalRequests = 3, CacheHits = 1, CacheMisses = 2, AvgResponseTime = 30 }, session.Metrics);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_MoreIdsThanHistory_KeepsNewestIdsInOrder(string durability)
    {
        using var harness = Store(durability, sessionIdHistory: 3);
        await AppendAll(harness, Enumerable.Range(1, 7)
            .Select(i => SampleRecords.Make("d" + i, sessionId: "s1", correlationId: "c" + i, timestamp: SampleRecords.Epoch.AddSeconds(i))));

        var session = await Session(harness, "s1");

        Assert.Equal(["d5", "d6", "d7"], session.DecisionIds);
        Assert.Equal(["c5", "c6", "c7"], session.CorrelationIds);
        // The bound trims the id lists, not the counts.
        Assert.Equal(7, session.Metrics.TotalRequests);
    }

    [Fact]
    public async Task AppendAsync_HistoryBoundAcrossReopen_KeepsNewestIds()
    {
        using var harness = Store(sessionIdHistory: 2);
        await AppendAll(harness, [SampleRecords.Make("d1", sessionId: "s1"), SampleRecords.Make("d2", sessionId: "s1")]);

        harness.Reopen();
        await AppendAll(harness, [SampleRecords.Make("d3", sessionId: "s1")]);

        Assert.Equal(["d2", "d3"], (await Session(harness, "s1")).DecisionIds);
    }

    [Fact]
    public async Task AppendAsync_SessionIdsDifferingOnlyInCase_KeepSeparateSessions()
    {
        using var harness = Store();
        await AppendAll(harness, [SampleRecords.Make("d1", sessionId: "alice"), SampleRecords.Make("d2", sessionId: "Alice")]);

        Assert.Equal(["d1"], (await Session(harness, "alice")).DecisionIds);
        Assert.Equal(["d2"], (await Session(harness, "Alice")).DecisionIds);
    }
}
