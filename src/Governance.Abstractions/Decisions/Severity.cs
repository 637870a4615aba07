using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>How serious a warning is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("low")]
    Low = 0,
    [JsonStringEnumMemberName("medium")]
    Medium = 1,
    [JsonStringEnumMemberName("high")]
    High = 2,
    [JsonStringEnumMemberName("critical")]
    Critical = 3,
}
