namespace Governance.Abstractions.Storage;

/// <summary>A consultation session, after the seed's sessions table.</summary>
public sealed class SessionRecord
{
    public required string SessionId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The most recent ids, newest last, bounded by the store.</summary>
    public IReadOnlyList<string> CorrelationIds { get; init; } = [];
    public IReadOnlyList<string> DecisionIds { get; init; } = [];
    public SessionMetrics Metrics { get; init; } = new();
}
