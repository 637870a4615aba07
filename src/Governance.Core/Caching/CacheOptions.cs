namespace Governance.Core.Caching;

/// <summary>The cache section of the configuration.</summary>
public sealed record CacheOptions
{
    /// <summary>memory (the in-process LRU) or none.</summary>
    public string Type { get; init; } = "memory";
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(300);
    public int MaxSize { get; init; } = 1000;
}
