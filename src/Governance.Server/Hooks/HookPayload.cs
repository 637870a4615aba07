using System.Text.Json.Nodes;

namespace Governance.Server.Hooks;

/// <summary>
/// Rebuilds the PreToolUse payload from the fields an mcp_tool hook passes (interpolated from the hook input), so
/// the pipeline sees the same context a command hook would get on stdin.
/// </summary>
internal static class HookPayload
{
    public static JsonObject From(string toolName, JsonObject? toolInput, IEnumerable<(string Name, string? Value)> inputFields,
        IEnumerable<(string Name, string? Value)> payloadFields)
    {
        var input = toolInput is null ? new JsonObject() : (JsonObject)toolInput.DeepClone();
        Copy(input, inputFields);
        var payload = new JsonObject
        {
            ["hook_event_name"] = "PreToolUse",
            ["tool_name"] = toolName,
            ["tool_input"] = input,
        };
        Copy(payload, payloadFields);
        return payload;
    }

    /// <summary>A PostToolUse / PostToolUseFailure payload from the fields an mcp_tool hook passes.</summary>
    public static JsonObject Post(string toolName, IEnumerable<(string Name, string? Value)> fields)
    {
        var payload = new JsonObject { ["hook_event_name"] = HookEvent.PostToolUse, ["tool_name"] = toolName };
        Copy(payload, fields);
        if (payload["hook_event_name"]?.GetValue<string>() != HookEvent.PostToolUseFailure)
        {
            payload["hook_event_name"] = HookEvent.PostToolUse;
        }
        if (payload["interrupted"] is { } interrupted)
        {
            payload["tool_response"] = new JsonObject { ["interrupted"] = interrupted.DeepClone() };
        }
        return payload;
    }

    /// <summary>The payload as the bytes every hook path hands the handler.</summary>
    public static HookInput Input(JsonObject payload) => HookInput.From(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()));

    // A field the tool call does not have arrives empty (or as its unexpanded ${...} placeholder): it must not hide a
    // value tool_input carries, nor be taken for a command, a directory or an id.
    private static void Copy(JsonObject target, IEnumerable<(string Name, string? Value)> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (!string.IsNullOrEmpty(value) && !(value.StartsWith("${", StringComparison.Ordinal) && value.EndsWith('}')))
            {
                target[name] = value;
            }
        }
    }
}
