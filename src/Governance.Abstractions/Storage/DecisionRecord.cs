namespace Governance.Abstractions.Storage;

/// <summary>The audit record one request leaves, decision or rejection.</summary>
public sealed class DecisionRecord
{
    public required string DecisionId { get; init; }
    public required string CorrelationId { get; init; }
    public required string SessionId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string Operation { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>allow, ask, deny, or error for a rejected request.</summary>
    public string Verdict { get; init; } = "";
    public double Confidence { get; init; }
    public bool Cached { get; init; }
    public double ElapsedMs { get; init; }
    public string PolicyRevision { get; init; } = "";
    /// <summary>Command, path or URL: what the operation was about.</summary>
    public string Subject { get; init; } = "";
    public string Summary { get; init; } = "";
    public string? Error { get; init; }
    public string ToolUseId { get; init; } = "";
    /// <summary>What the tool call did afterwards (ran, failed, interrupted), when PostToolUse recorded it; filled in by queries.</summary>
    public ToolOutcomeRecord? Outcome { get; init; }
    /// <summary>The full decision or error JSON as returned to the client.</summary>
    public string ResponseJson { get; init; } = "";
    /// <summary>The context as received, truncated to the configured size.</summary>
    public string ContextJson { get; init; } = "";
}
