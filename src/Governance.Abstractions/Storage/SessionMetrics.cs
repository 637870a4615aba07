using System.Text.Json.Serialization;

namespace Governance.Abstractions.Storage;

/// <summary>The seed's metrics block: counts and average response time, globally or for one session.</summary>
public sealed record SessionMetrics
{
    [JsonPropertyName("total_requests")] public long TotalRequests { get; init; }
    [JsonPropertyName("cache_hits")] public long CacheHits { get; init; }
    [JsonPropertyName("cache_misses")] public long CacheMisses { get; init; }
    [JsonPropertyName("errors")] public long Errors { get; init; }
    /// <summary>Milliseconds.</summary>
    [JsonPropertyName("avg_response_time")] public double AvgResponseTime { get; init; }
}
