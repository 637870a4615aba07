using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>A warning attached to a decision: a stable code, a severity and a message for the agent.</summary>
public sealed record GovernanceWarning(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("severity"), JsonConverter(typeof(JsonStringEnumConverter<Severity>))] Severity Severity,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("source")] string Source);
