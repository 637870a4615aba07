using System.Text.Json.Serialization;
using Governance.Abstractions.Storage;

namespace Governance.Server.Mcp;

/// <summary>One recorded decision as get_historical_decisions returns it.</summary>
internal sealed record HistoryEntry
{
    [JsonPropertyName("decision_id")] public required string DecisionId { get; init; }
    [JsonPropertyName("correlation_id")] public required string CorrelationId { get; init; }
    [JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [JsonPropertyName("timestamp")] public DateTimeOffset Timestamp { get; init; }
    [JsonPropertyName("operation")] public string Operation { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    /// <summary>allow, ask, deny, or error for a rejected request.</summary>
    [JsonPropertyName("verdict")] public string Verdict { get; init; } = "";
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("cached")] public bool Cached { get; init; }
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";
    [JsonPropertyName("summary")] public string Summary { get; init; } = "";
    [JsonPropertyName("policy_revision")] public string PolicyRevision { get; init; } = "";
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("tool_use_id")] public string ToolUseId { get; init; } = "";
    /// <summary>ran, failed or interrupted once the call's PostToolUse hook reported; null before or without one.</summary>
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }
    [JsonPropertyName("outcome_detail")] public string? OutcomeDetail { get; init; }

    public static HistoryEntry From(DecisionRecord record) => new()
    {
        DecisionId = record.DecisionId,
        CorrelationId = record.CorrelationId,
        SessionId = record.SessionId,
        Timestamp = record.Timestamp,
        Operation = record.Operation,
        Kind = record.Kind,
        Verdict = record.Verdict,
        Confidence = record.Confidence,
        Cached = record.Cached,
        Subject = record.Subject.Length > 500 ? record.Subject[..500] + "…" : record.Subject,
        Summary = record.Summary,
        PolicyRevision = record.PolicyRevision,
        ElapsedMs = record.ElapsedMs,
        Error = record.Error,
        ToolUseId = record.ToolUseId,
        Outcome = record.Outcome?.Status,
        OutcomeDetail = record.Outcome is { Detail.Length: > 0 } outcome ? outcome.Detail : null,
    };
}
