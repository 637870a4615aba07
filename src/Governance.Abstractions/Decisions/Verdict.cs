using System.Text.Json.Serialization;

namespace Governance.Abstractions.Decisions;

/// <summary>What the agent may do: go ahead, ask a person first, or not at all.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("allow")]
    Allow = 0,
    [JsonStringEnumMemberName("ask")]
    Ask = 1,
    [JsonStringEnumMemberName("deny")]
    Deny = 2,
}
