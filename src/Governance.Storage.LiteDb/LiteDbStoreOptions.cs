namespace Governance.Storage.LiteDb;

/// <summary>The database section for the embedded store.</summary>
public sealed record LiteDbStoreOptions
{
    /// <summary>The database file; its folder is created if missing.</summary>
    public string Path { get; init; } = "data/governance.db";
    /// <summary>sync: a decision returns only after it is on disk. batched: group commit within <see cref="BatchWindow"/>.</summary>
    public string Durability { get; init; } = "batched";
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);
    public int BatchMaxSize { get; init; } = 256;
    /// <summary>How many recent correlation and decision ids a session keeps.</summary>
    public int SessionIdHistory { get; init; } = 1000;

    public bool IsSync => string.Equals(Durability, "sync", StringComparison.OrdinalIgnoreCase);
}
