using Governance.Abstractions.Storage;

namespace Governance.Abstractions.Tests;

public sealed class SessionMetricsTests
{
    [Fact]
    public void Add_CountsHitsMissesErrorsAndRunningMean()
    {
        var metrics = new SessionMetrics()
            .Add(Record(cached: false, error: null, elapsed: 10))
            .Add(Record(cached: true, error: null, elapsed: 2))
            .Add(Record(cached: false, error: "bad", elapsed: 0));

        Assert.Equal(3, metrics.TotalRequests);
        Assert.Equal(1, metrics.CacheHits);
        Assert.Equal(1, metrics.CacheMisses);
        Assert.Equal(1, metrics.Errors);
        Assert.Equal(4.0, metrics.AvgResponseTime, 6);
    }

    private static DecisionRecord Record(bool cached, string? error, double elapsed) => new()
    {
        DecisionId = Guid.NewGuid().ToString(),
        CorrelationId = Guid.NewGuid().ToString(),
        SessionId = "s",
        Timestamp = DateTimeOffset.UnixEpoch,
        Cached = cached,
        Error = error,
        ElapsedMs = elapsed,
    };
}
