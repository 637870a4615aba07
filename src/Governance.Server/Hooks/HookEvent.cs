using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Abstractions.Storage;

namespace Governance.Server.Hooks;

/// <summary>
/// One Claude Code hook call as a command hook reads it on stdin: PreToolUse (judge the call) or PostToolUse /
/// PostToolUseFailure (record what the call did). Parsing failures say what was wrong and what the hook expects.
/// </summary>
internal sealed record HookEvent(string EventName, string ToolName, JsonObject Payload)
{
    public const string PreToolUse = "PreToolUse";
    public const string PostToolUse = "PostToolUse";
    public const string PostToolUseFailure = "PostToolUseFailure";
    private const int MaxDetail = 200;

    public bool IsPost => EventName is PostToolUse or PostToolUseFailure;

    /// <exception cref="HookInputException">The text is not a hook payload this command handles.</exception>
    public static HookEvent Parse(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new HookInputException($"the hook payload is not valid JSON ({ex.Message}); Claude Code sends one JSON object per call");
        }
        if (node is not JsonObject payload)
        {
            throw new HookInputException("the hook payload must be a JSON object with hook_event_name, tool_name and tool_input");
        }
        var eventName = Text(payload, "hook_event_name") ?? PreToolUse;
        if (eventName is not (PreToolUse or PostToolUse or PostToolUseFailure))
        {
            throw new HookInputException($"hook_event_name '{eventName}' is not handled; register `governance hook` for PreToolUse, PostToolUse and PostToolUseFailure only");
        }
        var toolName = Text(payload, "tool_name");
        if (string.IsNullOrEmpty(toolName))
        {
            throw new HookInputException("the hook payload has no tool_name; it should be the Claude Code PreToolUse/PostToolUse input");
        }
        return new HookEvent(eventName, toolName, payload);
    }

    /// <summary>What a PostToolUse / PostToolUseFailure call reports, without the tool's output (it may hold secrets).</summary>
    public ToolOutcomeRecord Outcome(string fallbackSessionId, DateTimeOffset now)
    {
        var interrupted = Flag(Payload, "is_interrupt") || Payload["tool_response"] is JsonObject response && Flag(response, "interrupted");
        var status = interrupted ? "interrupted" : EventName == PostToolUseFailure ? "failed" : "ran";
        var detail = EventName == PostToolUseFailure ? Text(Payload, "error") ?? "" : "";
        return new ToolOutcomeRecord
        {
            ToolUseId = Text(Payload, "tool_use_id") ?? "",
            SessionId = Text(Payload, "session_id") is { Length: > 0 } session ? session : fallbackSessionId,
            Timestamp = now,
            ToolName = ToolName,
            Status = status,
            Detail = detail.Length <= MaxDetail ? detail : detail[..MaxDetail] + "…",
        };
    }

    private static string? Text(JsonObject payload, string name) =>
        payload[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonObject payload, string name) => payload[name] switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
