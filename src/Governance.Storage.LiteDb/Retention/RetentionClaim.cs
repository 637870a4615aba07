namespace Governance.Storage.LiteDb.Retention;

/// <summary>Whether this process runs the retention pass now, and when the next one is due.</summary>
internal readonly record struct RetentionClaim(bool Claimed, DateTimeOffset NextDue);
