using System.Text.Json;

namespace Governance.TestKit.Fuzz;

/// <summary>How a fuzz run reads an answer in each transport's format: what it says about allowing, and whether it is well formed.</summary>
public static class FuzzAnswers
{
    /// <summary>allow / ask / deny of a decide answer, "error" for an error object with an ask or deny fallback, null when neither.</summary>
    public static string? DecideVerdict(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("verdict", out var verdict) && verdict.GetString() is { } v && v is "allow" or "ask" or "deny")
            {
                return v;
            }
            return root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String &&
                   root.TryGetProperty("fallback", out var fallback) && fallback.GetString() is "ask" or "deny" ? "error" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The permission a hook answer gives (null: no decision, governance failed); <paramref name="wellFormed"/> false when it is neither.</summary>
    public static string? HookPermission(string text, out bool wellFormed)
    {
        wellFormed = false;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("hookSpecificOutput", out var output))
            {
                var permission = output.GetProperty("permissionDecision").GetString();
                wellFormed = permission is "allow" or "ask" or "deny" && output.GetProperty("permissionDecisionReason").GetString()!.Length > 0;
                return permission;
            }
            wellFormed = root.TryGetProperty("systemMessage", out var message) && message.GetString()!.Length > 0;
            return null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What a JSON-RPC response says about allowing: a decision's verdict, a hook answer's permission, else null.</summary>
    public static string? McpVerdict(string response)
    {
        try
        {
            using var document = JsonDocument.Parse(response);
            if (!document.RootElement.TryGetProperty("result", out var result))
            {
                return null;
            }
            if (result.TryGetProperty("structuredContent", out var structured) && structured.TryGetProperty("verdict", out var verdict))
            {
                return verdict.GetString();
            }
            if (result.TryGetProperty("content", out var content) && content.GetArrayLength() > 0 && content[0].TryGetProperty("text", out var text) &&
                text.GetString() is { } hook && hook.Contains("permissionDecision", StringComparison.Ordinal))
            {
                return HookPermission(hook, out _);
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The id of a JSON-RPC response (-1 for a null id when <paramref name="allowNull"/>), null when the line is not one.</summary>
    public static long? IdOf(string line, bool allowNull = false)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0" ||
                !(root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)) || !root.TryGetProperty("id", out var id))
            {
                return null;
            }
            return id.ValueKind == JsonValueKind.Number ? id.GetInt64() : allowNull && id.ValueKind == JsonValueKind.Null ? -1 : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Shown(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
