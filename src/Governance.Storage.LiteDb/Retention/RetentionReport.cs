namespace Governance.Storage.LiteDb.Retention;

/// <summary>One retention pass: whether it ran here (another process may have run it), what it removed, when the next is due.</summary>
public sealed record RetentionReport
{
    public bool Ran { get; init; }
    public bool Failed { get; init; }
    public long DecisionsByAge { get; init; }
    public long DecisionsByCount { get; init; }
    public long SessionsUpdated { get; init; }
    public long SessionsDeleted { get; init; }
    public long Outcomes { get; init; }
    public DateTimeOffset NextDue { get; init; }

    public long Decisions => DecisionsByAge + DecisionsByCount;
}
