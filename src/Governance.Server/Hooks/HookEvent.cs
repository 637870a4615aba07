using System.Text.Json;
using Governance.Abstractions.Storage;
using Governance.Core.Validation;

namespace Governance.Server.Hooks;

/// <summary>
/// One Claude Code hook call: PreToolUse (judge the call) or PostToolUse / PostToolUseFailure (record what the call
/// did). <see cref="Payload"/> is the whole hook input, read strictly (see <see cref="StrictJson"/>).
/// </summary>
internal sealed record HookEvent(string EventName, string ToolName, JsonElement Payload)
{
    public const string PreToolUse = "PreToolUse";
    public const string PostToolUse = "PostToolUse";
    public const string PostToolUseFailure = "PostToolUseFailure";
    private const int MaxDetail = 200;

    /// <summary>The top-level fields a hook answer needs even when the payload is too large or too broken to parse.</summary>
    public static readonly string[] ScannedFields = ["hook_event_name", "tool_name", "tool_use_id", "session_id"];

    public bool IsPost => IsPostEvent(EventName);

    public static bool IsPostEvent(string? name) => name is PostToolUse or PostToolUseFailure;

    public static bool IsKnownEvent(string? name) => name is PreToolUse or PostToolUse or PostToolUseFailure;

    /// <summary>What a PostToolUse / PostToolUseFailure call reports, without the tool's output (it may hold secrets).</summary>
    public ToolOutcomeRecord Outcome(string fallbackSessionId, DateTimeOffset now)
    {
        var interrupted = Flag(Payload, "is_interrupt") ||
                          Payload.TryGetProperty("tool_response", out var response) && response.ValueKind == JsonValueKind.Object && Flag(response, "interrupted");
        var detail = EventName == PostToolUseFailure ? OperationNormalizer.Text(Payload, "error") : "";
        return Outcome(EventName, ToolName, OperationNormalizer.Text(Payload, "tool_use_id"), OperationNormalizer.Text(Payload, "session_id"),
            interrupted, detail, fallbackSessionId, now);
    }

    /// <summary>The outcome record from fields alone (a payload too large to read keeps only its top-level scalars).</summary>
    public static ToolOutcomeRecord Outcome(string eventName, string toolName, string? toolUseId, string? sessionId, bool interrupted, string detail,
        string fallbackSessionId, DateTimeOffset now) => new()
        {
            ToolUseId = toolUseId ?? "",
            SessionId = sessionId is { Length: > 0 } session ? session : fallbackSessionId,
            Timestamp = now,
            ToolName = toolName,
            Status = interrupted ? "interrupted" : eventName == PostToolUseFailure ? "failed" : "ran",
            Detail = detail.Length <= MaxDetail ? detail : detail[..MaxDetail] + "…",
        };

    private static bool Flag(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.True ||
            value.ValueKind == JsonValueKind.String && string.Equals(OperationNormalizer.Text(payload, name), "true", StringComparison.OrdinalIgnoreCase));
}
