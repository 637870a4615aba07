using System.Text.Json;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;

namespace Governance.Analysis.Effects;

/// <summary>
/// What an MCP tool call does to files, read from its name and its path-like arguments: a filesystem server's
/// write_file, edit_file, move_file or delete writes, moves or deletes the paths it is given, just as Write or rm would.
/// SQL arguments (sql, query, statement) are read as statements sent to a database. A tool that touches no path the
/// analysis can see but whose name says it deletes, merges, pushes, runs or sends something is a tool-action.
/// </summary>
internal static class McpToolEffects
{
    private static readonly string[] PathKeys = ["path", "file_path", "filepath", "filename", "file", "target", "directory", "dir", "uri"];
    private static readonly string[] ListKeys = ["paths", "files"];
    private static readonly string[] SourceKeys = ["source", "src", "from", "old_path", "source_path"];
    private static readonly string[] DestinationKeys = ["destination", "dest", "to", "new_path", "destination_path", "target_path"];
    private static readonly string[] SqlKeys = ["sql", "query", "statement", "statements"];

    // Verbs in a tool's name that change or run something: at least ask when the analysis sees no file it touches.
    private static readonly string[] DestructiveVerbs = ["delete", "drop", "destroy", "remove", "purge", "truncate", "wipe", "terminate", "kill", "revoke", "uninstall", "prune"];
    private static readonly string[] ActionVerbs =
    [
        "merge", "push", "force", "write", "execute", "exec", "run", "send", "publish", "post", "deploy", "transfer", "archive", "close", "approve",
        "invite", "grant", "rollback", "restart", "stop", "scale", "apply", "eval", "evaluate", "navigate", "click", "fill", "submit", "pay",
    ];

    public static void Collect(Operation operation, EffectBuilder effects)
    {
        var name = operation.ToolName;
        if (!name.StartsWith("mcp__", StringComparison.Ordinal))
        {
            return;
        }
        var tool = name[(name.IndexOf("__", 5, StringComparison.Ordinal) is var cut and > 0 ? cut + 2 : 5)..].ToLowerInvariant();
        var input = operation.Context.ValueKind == JsonValueKind.Object && operation.Context.TryGetProperty("tool_input", out var given) && given.ValueKind == JsonValueKind.Object
            ? given
            : operation.Context;
        if (input.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var text = $"{name} {Describe(input)}";
        foreach (var key in SqlKeys)
        {
            if (input.TryGetProperty(key, out var sql) && sql.ValueKind == JsonValueKind.String && sql.GetString() is { Length: > 0 } statements)
            {
                DatabaseEffects.Statements(statements, text, effects);
            }
        }
        var sources = Strings(input, SourceKeys);
        var destinations = Strings(input, DestinationKeys);
        var paths = Strings(input, PathKeys);
        paths.AddRange(Lists(input, ListKeys));
        if (Has(tool, "move", "rename", "mv"))
        {
            effects.Add(EffectKinds.Delete, text, effects.Paths(sources.Count > 0 ? sources : paths), "mcp move", "move");
            effects.Add(EffectKinds.Write, text, effects.Paths(destinations), "mcp move", "tool");
        }
        else if (Has(tool, "delete", "remove", "rm", "unlink", "trash", "rmdir"))
        {
            effects.Add(EffectKinds.Delete, text, effects.Paths([.. paths, .. sources]), "mcp", "tool");
        }
        else if (Has(tool, "chmod", "chown", "permission", "permissions"))
        {
            effects.Add(EffectKinds.PermissionChange, text, effects.Paths(paths), "mcp");
        }
        else if (Has(tool, "write", "edit", "create", "update", "put", "save", "append", "patch", "replace", "upload", "mkdir", "copy", "insert", "set"))
        {
            effects.Add(EffectKinds.Write, text, effects.Paths([.. paths, .. destinations]), "mcp", "tool");
            if (sources.Count > 0)
            {
                effects.Add(EffectKinds.Read, text, effects.Paths(sources), "mcp");
            }
        }
        else if (Has(tool, "read", "get", "list", "search", "view", "cat", "head", "tail", "stat", "info", "tree", "find", "open"))
        {
            effects.Add(EffectKinds.Read, text, effects.Paths([.. paths, .. sources]), "mcp", "tool");
        }
        if (paths.Count + sources.Count + destinations.Count == 0 && (Verb(tool, DestructiveVerbs) ?? Verb(tool, ActionVerbs)) is { } verb)
        {
            // Not a file the analysis can classify (a repository, a pull request, a message, a cluster): the name says what it does.
            var destructive = DestructiveVerbs.Contains(verb, StringComparer.Ordinal);
            effects.Add(EffectKinds.ToolAction, text, null, verb, destructive ? ["destructive"] : []);
        }
    }

    private static string? Verb(string tool, string[] verbs)
    {
        foreach (var word in tool.Split('_', '-', '.'))
        {
            if (verbs.Contains(word, StringComparer.Ordinal))
            {
                return word;
            }
        }
        return null;
    }

    private static bool Has(string tool, params ReadOnlySpan<string> verbs)
    {
        foreach (var word in tool.Split('_', '-', '.'))
        {
            foreach (var verb in verbs)
            {
                if (word == verb)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<string> Strings(JsonElement input, string[] keys)
    {
        var found = new List<string>();
        foreach (var key in keys)
        {
            if (input.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String && PathOf(value) is { } path)
            {
                found.Add(path);
            }
        }
        return found;
    }

    private static IEnumerable<string> Lists(JsonElement input, string[] keys)
    {
        foreach (var key in keys)
        {
            if (input.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in value.EnumerateArray().Take(64))
                {
                    if (item.ValueKind == JsonValueKind.String && PathOf(item) is { } path)
                    {
                        yield return path;
                    }
                }
            }
        }
    }

    private static string? PathOf(JsonElement value)
    {
        string? text;
        try
        {
            text = value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        if (string.IsNullOrEmpty(text) || text.Length > 4096)
        {
            return null;
        }
        return text.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(text[7..]) : text.Contains("://", StringComparison.Ordinal) ? null : text;
    }

    private static string Describe(JsonElement input)
    {
        var raw = input.GetRawText();
        return raw.Length > 200 ? raw[..200] + "…" : raw;
    }
}
