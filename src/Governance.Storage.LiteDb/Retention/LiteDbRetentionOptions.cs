namespace Governance.Storage.LiteDb.Retention;

/// <summary>database.retention: which decisions the background job deletes, and how often it runs.</summary>
public sealed record LiteDbRetentionOptions
{
    /// <summary>Decisions older than this are deleted; null keeps them whatever their age.</summary>
    public TimeSpan? MaxAge { get; init; }
    /// <summary>Only the newest this many decisions are kept; null keeps any number.</summary>
    public int? MaxCount { get; init; }
    /// <summary>How often the job runs (also once at start, unless another process on the file ran it within this interval).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    public bool Enabled => MaxAge is not null || MaxCount is not null;
}
