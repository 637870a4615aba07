using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>The answer to one governance request, exactly as clients receive it.</summary>
public sealed record Decision
{
    [JsonPropertyName("decision_id")] public required string DecisionId { get; init; }
    [JsonPropertyName("correlation_id")] public required string CorrelationId { get; init; }
    [JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [JsonPropertyName("operation")] public string Operation { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("verdict"), JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
    public Verdict Verdict { get; init; }
    [JsonPropertyName("approved")] public bool Approved => Verdict == Verdict.Allow;
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("summary")] public string Summary { get; init; } = "";
    [JsonPropertyName("persona_guidance")]
    public IReadOnlyDictionary<string, PersonaGuidance> PersonaGuidance { get; init; } =
        new Dictionary<string, PersonaGuidance>();
    [JsonPropertyName("recommendations")] public IReadOnlyList<string> Recommendations { get; init; } = [];
    [JsonPropertyName("warnings")] public IReadOnlyList<GovernanceWarning> Warnings { get; init; } = [];
    /// <summary>Facts derived by enricher plugins, as personas and rules saw them.</summary>
    [JsonPropertyName("facts")] public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("rules_fired")] public IReadOnlyList<string> RulesFired { get; init; } = [];
    [JsonPropertyName("policy_revision")] public string PolicyRevision { get; init; } = "";
    [JsonPropertyName("cached")] public bool Cached { get; init; }
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
    [JsonPropertyName("timestamp")] public DateTimeOffset Timestamp { get; init; }

    /// <summary>Set when the request was rejected; surfaces render the error object instead of the decision.</summary>
    [JsonIgnore] public GovernanceError? Error { get; init; }
}
