using Governance.Storage.LiteDb.Retention;

namespace Governance.Storage.LiteDb;

/// <summary>The database section for the embedded store.</summary>
public sealed record LiteDbStoreOptions
{
    /// <summary>The database file; its folder (the data directory) is created 0700 if missing.</summary>
    public string Path { get; init; } = "data/governance.db";
    /// <summary>sync: a decision returns only after it is on disk. batched: group commit within <see cref="BatchWindow"/>.</summary>
    public string Durability { get; init; } = "batched";
    /// <summary>
    /// Batched: how long the writer gathers records into one commit, counted from when the group's first record was
    /// answered. A kill -9 loses at most the records answered in the last window plus the commit in progress.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>
    /// The most records one group commit holds, and the most the writer accepts before they are on disk: an append
    /// beyond it waits (asynchronously) for the commit in progress. This is what bounds a crash's loss in batched mode.
    /// </summary>
    public int BatchMaxSize { get; init; } = 256;
    /// <summary>How many recent correlation and decision ids a session keeps.</summary>
    public int SessionIdHistory { get; init; } = 1000;
    /// <summary>What the retention job deletes; by default nothing.</summary>
    public LiteDbRetentionOptions Retention { get; init; } = new();

    public bool IsSync => string.Equals(Durability, "sync", StringComparison.OrdinalIgnoreCase);
}
