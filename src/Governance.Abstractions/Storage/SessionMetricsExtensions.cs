namespace Governance.Abstractions.Storage;

/// <summary>One rule for counting a request into metrics, used by the in-memory counters and by stores.</summary>
public static class SessionMetricsExtensions
{
    public static SessionMetrics Add(this SessionMetrics metrics, DecisionRecord record)
    {
        var total = metrics.TotalRequests + 1;
        var isError = record.Error is not null;
        return new SessionMetrics
        {
            TotalRequests = total,
            CacheHits = metrics.CacheHits + (record.Cached ? 1 : 0),
            CacheMisses = metrics.CacheMisses + (!record.Cached && !isError ? 1 : 0),
            Errors = metrics.Errors + (isError ? 1 : 0),
            AvgResponseTime = metrics.AvgResponseTime + ((record.ElapsedMs - metrics.AvgResponseTime) / total),
        };
    }
}
