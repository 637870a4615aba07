using System.Text.Json.Nodes;

namespace Governance.Server.Hooks;

/// <summary>
/// What handling one hook call produced: the hook output to print (null for PostToolUse, which prints nothing), or
/// the problem that kept governance itself from answering (a failure, not a refused request), which the caller turns
/// into fail-open (no decision) or fail-closed (deny).
/// </summary>
internal sealed record HookResult(JsonObject? Answer, string? Problem)
{
    public static HookResult Failed(string problem) => new(null, problem);

    public static readonly HookResult Recorded = new(null, null);

    public JsonObject ToWire() => new() { ["answer"] = Answer?.DeepClone(), ["problem"] = Problem };

    public static HookResult? FromWire(JsonNode? node) => node is JsonObject wire
        ? new HookResult(wire["answer"] as JsonObject is { } answer ? (JsonObject)answer.DeepClone() : null,
            wire["problem"] is JsonValue problem && problem.TryGetValue<string>(out var text) ? text : null)
        : null;
}
