using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>The seed's error object: what went wrong, what the client should fall back to, and the ids to trace it.</summary>
public sealed record GovernanceError
{
    [JsonPropertyName("error")] public required string Error { get; init; }
    /// <summary>
    /// What the client should do instead of acting on a decision: "ask" a person or "deny". Never "allow": what
    /// governance could not review is not approved.
    /// </summary>
    [JsonPropertyName("fallback")] public string Fallback { get; init; } = "ask";
    [JsonPropertyName("correlation_id")] public required string CorrelationId { get; init; }
    [JsonPropertyName("timestamp")] public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Machine-readable reason: validation_error, unreadable_request, request_too_large, unknown_persona, internal_error, policy_unavailable.</summary>
    [JsonPropertyName("code")] public string Code { get; init; } = "validation_error";
    /// <summary>
    /// True when governance itself failed (an exception, no usable policy), false when the request was refused. Hook
    /// answers differ: a refused request is answered ask/deny; a failure gives no decision (fail-open) or deny (fail-closed).
    /// </summary>
    [JsonIgnore] public bool IsServerFault { get; init; }
}
