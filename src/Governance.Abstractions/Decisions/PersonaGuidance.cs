using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>One persona's answer as it appears in a decision.</summary>
public sealed record PersonaGuidance
{
    [JsonPropertyName("verdict")] public string? Verdict { get; init; }
    [JsonPropertyName("confidence")] public double Confidence { get; init; }
    [JsonPropertyName("guidance")] public string Guidance { get; init; } = "";
    [JsonPropertyName("rationale")] public string Rationale { get; init; } = "";
    /// <summary>ok, failed or timed_out.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "ok";
    [JsonPropertyName("checks")] public IReadOnlyList<string> Checks { get; init; } = [];
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs { get; init; }
}
