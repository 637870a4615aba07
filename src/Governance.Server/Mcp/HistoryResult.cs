using System.Text.Json.Serialization;

namespace Governance.Server.Mcp;

/// <summary>The answer of get_historical_decisions: matching decisions, newest first.</summary>
internal sealed record HistoryResult
{
    [JsonPropertyName("count")] public int Count { get; init; }
    [JsonPropertyName("decisions")] public IReadOnlyList<HistoryEntry> Decisions { get; init; } = [];
}
