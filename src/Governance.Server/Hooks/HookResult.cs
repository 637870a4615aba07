using System.Text.Json.Nodes;

namespace Governance.Server.Hooks;

/// <summary>
/// What handling one hook call produced: the hook output to print (null for PostToolUse, which prints nothing), or
/// the problem that kept governance from reviewing the call, which the caller turns into fail-open or fail-closed.
/// </summary>
internal sealed record HookResult(JsonObject? Answer, string? Problem)
{
    public static HookResult Failed(string problem) => new(null, problem);

    public JsonObject ToWire() => new() { ["answer"] = Answer?.DeepClone(), ["problem"] = Problem };

    public static HookResult? FromWire(JsonNode? node) => node is JsonObject wire
        ? new HookResult(wire["answer"] as JsonObject is { } answer ? (JsonObject)answer.DeepClone() : null, wire["problem"]?.GetValue<string>())
        : null;
}
