using System.Text;
using System.Text.Json;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Analysis.Commands;

namespace Governance.Analysis.Effects;

/// <summary>
/// What an MCP tool call does. A tool the pack's catalog knows (rules/mcp-tools/) is read through its mapping: the
/// shell commands it amounts to are analysed like Bash, its SQL like a database client's, its paths like a file
/// tool's, its URLs like a fetch, its code like an interpreter's, and its named action with the catalog's flags.
/// Any other tool is read from its name and its path-like arguments: a filesystem server's write_file, edit_file,
/// move_file or delete writes, moves or deletes the paths it is given; SQL arguments are statements; a tool whose
/// name says it deletes, merges, pushes, runs or sends something is a tool-action.
/// </summary>
internal static class McpToolEffects
{
    /// <summary>Where the analysis of an operation takes what a catalogued tool amounts to.</summary>
    public interface ISink
    {
        void Shell(string commandLine);
        void Code(string code, string line);
        void FileChange(string path, string content);
    }

    private static readonly string[] PathKeys = ["path", "file_path", "filepath", "filename", "file", "target", "directory", "dir", "uri"];
    private static readonly string[] ListKeys = ["paths", "files"];
    private static readonly string[] SourceKeys = ["source", "src", "from", "old_path", "source_path"];
    private static readonly string[] DestinationKeys = ["destination", "dest", "to", "new_path", "destination_path", "target_path"];
    private static readonly string[] SqlKeys = ["sql", "query", "statement", "statements"];

    // Verbs in a tool's name that change or run something: at least ask when the analysis sees no file it touches.
    private static readonly string[] DestructiveVerbs = ["delete", "drop", "destroy", "remove", "purge", "truncate", "wipe", "terminate", "kill", "revoke", "uninstall", "prune", "flush"];
    private static readonly string[] ActionVerbs =
    [
        "merge", "push", "force", "write", "execute", "exec", "run", "send", "publish", "post", "deploy", "transfer", "archive", "close", "approve",
        "invite", "grant", "rollback", "restart", "stop", "scale", "apply", "eval", "evaluate", "navigate", "click", "fill", "submit", "pay",
        "disable", "pause", "refund", "reply", "patch", "rollout", "reset", "restore", "cancel", "charge",
    ];

    private static readonly string[] ReadVerbs = ["get", "list", "read", "search", "describe", "show", "view", "find", "fetch", "query", "count", "check", "inspect", "explain", "status", "lookup"];

    // What a destructive verb removes when the name also says it is a whole store: nothing of it is left to restore from.
    private static readonly string[] WholeStores =
    [
        "all", "database", "databases", "db", "schema", "table", "tenant", "repository", "repo", "project", "index", "cluster", "bucket", "namespace",
        "collection", "snapshots", "backups", "backup", "users", "account", "organization", "org", "volume", "volumes", "keyspace", "topic",
    ];

    /// <summary>Collects the call's effects; returns the built-in operation a catalogued tool amounts to, or null.</summary>
    public static ToolEquivalent? Collect(Operation operation, EffectBuilder effects, McpToolCatalog catalog, ISink sink)
    {
        var name = operation.ToolName;
        if (!name.StartsWith("mcp__", StringComparison.Ordinal))
        {
            return null;
        }
        var cut = name.IndexOf("__", 5, StringComparison.Ordinal);
        var server = cut > 0 ? name[5..cut] : "";
        var tool = name[(cut > 0 ? cut + 2 : 5)..].ToLowerInvariant();
        var input = operation.Context.ValueKind == JsonValueKind.Object && operation.Context.TryGetProperty("tool_input", out var given) && given.ValueKind == JsonValueKind.Object
            ? given
            : operation.Context;
        if (input.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var text = $"{name} {Describe(input)}";
        if (catalog.Find(server, tool) is { } mapping)
        {
            return Catalogued(mapping, input, text, effects, sink);
        }
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
        // get_deploy_status, list_failed_runs: a tool named for reading reads, whatever else its name mentions.
        var reads = ReadVerbs.Contains(tool.Split('_', '-', '.')[0], StringComparer.Ordinal);
        if (!reads && paths.Count + sources.Count + destinations.Count == 0 && (Verb(tool, DestructiveVerbs) ?? Verb(tool, ActionVerbs)) is { } verb)
        {
            // Not a file the analysis can classify (a repository, a pull request, a message, a cluster): the name says what it does.
            var destructive = DestructiveVerbs.Contains(verb, StringComparer.Ordinal);
            effects.Add(EffectKinds.ToolAction, text, null, verb,
                !destructive ? [] : Verb(tool, WholeStores) is not null ? ["destructive", "irreversible"] : ["destructive"]);
        }
        return null;
    }


    private static ToolEquivalent? Catalogued(McpToolMapping mapping, JsonElement input, string text, EffectBuilder effects, ISink sink)
    {
        var lines = new List<string>();
        foreach (var template in mapping.Shell)
        {
            if (Interpolate(template, input) is { Length: > 0 } line)
            {
                sink.Shell(line);
                lines.Add(line);
            }
        }
        foreach (var sql in Values(input, mapping.Sql))
        {
            DatabaseEffects.Statements(sql, text, effects);
        }
        var reads = Values(input, mapping.Read);
        if (reads.Count > 0)
        {
            effects.Add(EffectKinds.Read, text, effects.Paths(reads), "mcp", "tool");
        }
        var deletes = Values(input, mapping.Delete);
        if (deletes.Count > 0)
        {
            effects.Add(EffectKinds.Delete, text, effects.Paths(deletes), "mcp", "tool");
        }
        var uploads = Values(input, mapping.Upload);
        if (uploads.Count > 0)
        {
            effects.Add(EffectKinds.Upload, text, effects.Paths(uploads), "mcp", "tool");
        }
        var content = string.Join('\n', Values(input, mapping.Content));
        foreach (var path in Values(input, mapping.Write))
        {
            sink.FileChange(path, content);
        }
        foreach (var url in Values(input, mapping.Fetch))
        {
            Fetch(url, text, effects, sink);
        }
        foreach (var code in Values(input, mapping.Code))
        {
            sink.Code(code, text);
        }
        foreach (var sent in Values(input, mapping.Sends))
        {
            if (ContentScanner.Secret(sent) is { } secret)
            {
                effects.Add(EffectKinds.Upload, text, null, "sends " + secret, "secret");
                break;
            }
        }
        if (mapping.Action.Length > 0)
        {
            effects.Add(EffectKinds.ToolAction, text, null, mapping.Action, [.. mapping.Flags]);
            return null;
        }
        return Equivalent(mapping, input, lines);
    }

    // A tool that is one built-in operation and nothing more is judged as that operation.
    private static ToolEquivalent? Equivalent(McpToolMapping mapping, JsonElement input, List<string> lines)
    {
        var kinds = (lines.Count > 0 ? 1 : 0) + (mapping.Write.Count > 0 ? 1 : 0) + (mapping.Read.Count > 0 ? 1 : 0) + (mapping.Fetch.Count > 0 ? 1 : 0)
            + (mapping.Sql.Count + mapping.Delete.Count + mapping.Upload.Count + mapping.Code.Count + mapping.Sends.Count > 0 ? 2 : 0);
        if (kinds != 1)
        {
            return null;
        }
        if (lines.Count > 0)
        {
            return new ToolEquivalent(OperationKinds.CommandExecution, Command: string.Join('\n', lines));
        }
        if (mapping.Write.Count > 0 && Values(input, mapping.Write) is [var written])
        {
            return new ToolEquivalent(OperationKinds.FileWrite, FilePath: written, Content: string.Join('\n', Values(input, mapping.Content)));
        }
        if (mapping.Read.Count > 0 && Values(input, mapping.Read) is [var read])
        {
            return new ToolEquivalent(OperationKinds.FileRead, FilePath: read);
        }
        return mapping.Fetch.Count > 0 && Values(input, mapping.Fetch) is [var url] ? new ToolEquivalent(OperationKinds.NetworkRequest, Url: url) : null;
    }

    // A page a tool opens: a local file is read; a remote URL is fetched the way curl would fetch it, so the checks of
    // metadata endpoints and tunnel hosts apply, and a credential in it is sent to that host.
    private static void Fetch(string url, string text, EffectBuilder effects, ISink sink)
    {
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = Uri.UnescapeDataString(url[5..]);
            effects.Add(EffectKinds.Read, text, effects.Paths([path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path]), "mcp", "tool");
            return;
        }
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return;
        }
        sink.Shell("curl -s " + CommandStrings.Quote(url));
        if (ContentScanner.Secret(Uri.UnescapeDataString(url)) is { } secret && !IsLocal(url))
        {
            effects.Add(EffectKinds.Upload, text, null, "URL carries " + secret, "secret");
        }
    }

    private static bool IsLocal(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase));

    /// <summary>Fills a catalog template from the tool's arguments; null when an argument outside [ … ] is missing.</summary>
    private static string? Interpolate(string template, JsonElement input)
    {
        var line = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '[' && template.IndexOf(']', i) is var close and > 0)
            {
                if (Fill(template[(i + 1)..close], input) is { } part)
                {
                    line.Append(part);
                }
                i = close + 1;
                continue;
            }
            var next = template.IndexOf('[', i) is var open and >= 0 ? open : template.Length;
            if (Fill(template[i..next], input) is not { } filled)
            {
                return null;
            }
            line.Append(filled);
            i = next;
        }
        return line.ToString().Trim();
    }

    private static string? Fill(string part, JsonElement input)
    {
        var text = new StringBuilder(part.Length + 16);
        var i = 0;
        while (i < part.Length)
        {
            var open = part.IndexOf('{', i);
            var close = open >= 0 ? part.IndexOf('}', open) : -1;
            if (open < 0 || close < 0)
            {
                text.Append(part, i, part.Length - i);
                break;
            }
            text.Append(part, i, open - i);
            var placeholder = part[(open + 1)..close];
            var colon = placeholder.IndexOf(':', StringComparison.Ordinal);
            var modifier = colon < 0 ? "" : placeholder[(colon + 1)..];
            var (words, argv) = Argument(input, colon < 0 ? placeholder : placeholder[..colon]);
            if (words.Count == 0)
            {
                return null;
            }
            // A string given for shell text is shell text; a list is an argv, so its items stay words either way.
            text.Append(modifier == "raw" && !argv ? string.Join(' ', words)
                : modifier.StartsWith("flag=", StringComparison.Ordinal) ? string.Join(' ', words.Select(w => modifier[5..] + " " + CommandStrings.Quote(w)))
                : string.Join(' ', words.Select(CommandStrings.Quote)));
            i = close + 1;
        }
        return text.ToString();
    }

    // An argument's text: a string, a number or a boolean as written, a list of them as several words (argv); a.b reads
    // b in object a, or in each object of list a (files.content: the content of every file pushed).
    private static (List<string> Words, bool Argv) Argument(JsonElement input, string path)
    {
        var words = new List<string>();
        var argv = false;
        Collect(input, path.Split('.'), 0, words, ref argv);
        return (words, argv);
    }

    private static void Collect(JsonElement value, string[] keys, int depth, List<string> words, ref bool argv)
    {
        if (depth < keys.Length)
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(keys[depth], out var child))
            {
                Collect(child, keys, depth + 1, words, ref argv);
            }
            else if (value.ValueKind == JsonValueKind.Array && depth > 0)
            {
                foreach (var item in value.EnumerateArray().Take(256))
                {
                    Collect(item, keys, depth, words, ref argv);
                }
            }
            return;
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            argv = true;
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            // Docker's SDK style {"/": {"bind": "/host"}} or {"/": "/host"}: host path and where it appears inside.
            foreach (var entry in value.EnumerateObject().Take(64))
            {
                var inside = entry.Value.ValueKind == JsonValueKind.String ? Text(entry.Value)
                    : entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("bind", out var bind) && bind.ValueKind == JsonValueKind.String ? Text(bind)
                    : null;
                if (inside is { Length: > 0 })
                {
                    words.Add(entry.Name + ":" + inside);
                }
            }
            return;
        }
        foreach (var item in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Take(256) : [value])
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String when Text(item) is { Length: > 0 } word:
                    words.Add(word);
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    words.Add(item.GetRawText());
                    break;
            }
        }
    }

    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString() is { Length: <= 256 * 1024 } text ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // The values of the arguments named (a list contributes each item).
    private static List<string> Values(JsonElement input, IReadOnlyList<string> keys)
    {
        var found = new List<string>();
        foreach (var key in keys)
        {
            foreach (var word in Argument(input, key).Words)
            {
                found.Add(word);
            }
        }
        return found;
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
