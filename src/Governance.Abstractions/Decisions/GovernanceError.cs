using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>The seed's error object: what went wrong, what the client should fall back to, and the ids to trace it.</summary>
public sealed record GovernanceError
{
    [JsonPropertyName("error")] public required string Error { get; init; }
    /// <summary>What the client should do instead of acting on a decision: ask a person.</summary>
    [JsonPropertyName("fallback")] public string Fallback { get; init; } = "ask";
    [JsonPropertyName("correlation_id")] public required string CorrelationId { get; init; }
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Machine-readable reason: validation_error, unknown_persona, internal_error.</summary>
    [JsonPropertyName("code")] public string Code { get; init; } = "validation_error";
}
