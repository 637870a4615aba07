using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Server.Configuration;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance init</c>: wires a project (or the user) into Claude Code — the stdio server in .mcp.json and the
/// PreToolUse / PostToolUse hooks in .claude/settings.json: `governance hook` (default) or mcp_tool calls to the server. Merges, never clobbers: other servers,
/// hooks and settings stay as they are; a re-run changes nothing; --remove takes out exactly what init adds.
/// </summary>
internal static partial class InitCommand
{
    public const string ServerName = "governance";
    public const string HookTool = "pre_tool_use";
    public const string PostHookTool = "post_tool_use";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(GovernanceSettings settings, string? project, string scope, string? hook, string? url, bool failClosed, bool dryRun,
        bool remove, TextWriter output, TextWriter error)
    {
        if (scope is not ("project" or "user"))
        {
            await error.WriteLineAsync($"governance: --scope '{scope}' must be project or user");
            return 2;
        }
        HookKind kind;
        switch (hook)
        {
            case null:
            case "command":
                // The default: it reviews every call, including the first turn's (Claude Code skips mcp_tool hooks while
                // the server is still connecting), can fail closed, and forwards to the running server (≈ 0.25 s a call).
                kind = HookKind.Command;
                break;
            case "mcp_tool":
                if (failClosed)
                {
                    await error.WriteLineAsync("governance: --hook mcp_tool cannot be --fail-closed: Claude Code runs the tool when the MCP server is not connected. Use --hook command --fail-closed.");
                    return 2;
                }
                kind = HookKind.McpTool;
                break;
            case "http":
                kind = HookKind.Http;
                break;
            default:
                await error.WriteLineAsync($"governance: --hook '{hook}' must be command (the default: governance hook, reviews every call, can fail closed), mcp_tool (calls the connected server, no process per call) or http (POSTs to a running serve --transport http)");
                return 2;
        }
        var directory = Path.GetFullPath(project ?? Directory.GetCurrentDirectory());
        if (scope == "project" && !Directory.Exists(directory))
        {
            await error.WriteLineAsync($"governance: --project '{directory}' does not exist; pass the repository's folder");
            return 2;
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var mcpFile = scope == "project" ? Path.Combine(directory, ".mcp.json") : Path.Combine(home, ".claude.json");
        var settingsFile = scope == "project" ? Path.Combine(directory, ".claude", "settings.json") : Path.Combine(home, ".claude", "settings.json");
        // A project's .mcp.json servers wait for each user's approval; running init is that approval, kept in the
        // user's own (uncommitted) settings.local.json.
        var localFile = Path.Combine(directory, ".claude", "settings.local.json");

        var executable = Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "governance");
        // The HTTP service to post to: --url, else the one running on this pack (data/.ports.json), else port.preferred.
        var serviceUrl = (url ?? new Hooks.ServerRegistry(settings.DataDirectory).Read()
            .Where(s => s.Transport == "http" && s.Serves(settings.Root, settings.ConfigPath)).OrderByDescending(s => s.Started).FirstOrDefault()?.Endpoint
            ?? $"http://127.0.0.1:{settings.Port}").TrimEnd('/');
        if (kind == HookKind.Http && !Uri.TryCreate(serviceUrl, UriKind.Absolute, out _))
        {
            await error.WriteLineAsync($"governance: --url '{serviceUrl}' is not an absolute URL like http://127.0.0.1:8001");
            return 2;
        }
        var server = new JsonObject
        {
            ["type"] = "stdio",
            ["command"] = executable,
            // Without a configuration file the server runs on defaults; pointing --config at a missing file would stop it.
            ["args"] = settings.ConfigPath is { } configPath
                ? new JsonArray("serve", "--root", settings.Root, "--config", configPath)
                : new JsonArray("serve", "--root", settings.Root),
        };

        var changes = new List<(string File, JsonObject Document, string Change)>();
        var edits = new List<(string File, Func<JsonObject, string?> Edit)>
        {
            (mcpFile, document => remove ? RemoveServer(document) : AddServer(document, server)),
            (settingsFile, document => remove ? RemoveHooks(document) : AddHooks(document, HookEntries(kind, executable, settings, failClosed, serviceUrl),
                kind switch
                {
                    HookKind.Command => $"command `governance hook{(failClosed ? " --fail-closed" : "")}` on PreToolUse, PostToolUse, PostToolUseFailure",
                    HookKind.Http => $"http {serviceUrl}/hooks/pre-tool-use{(failClosed ? "?fail_closed=true" : "")} on PreToolUse, /hooks/post-tool-use on PostToolUse, PostToolUseFailure",
                    _ => "mcp_tool governance/pre_tool_use on PreToolUse, governance/post_tool_use on PostToolUse, PostToolUseFailure",
                })),
        };
        if (scope == "project")
        {
            edits.Add((localFile, document => remove ? RemoveApproval(document) : AddApproval(document)));
        }
        foreach (var (file, edit) in edits)
        {
            JsonObject document;
            try
            {
                document = File.Exists(file) ? JsonNode.Parse(await File.ReadAllTextAsync(file)) as JsonObject ?? throw new JsonException("the top level is not an object") : [];
            }
            catch (JsonException ex)
            {
                await error.WriteLineAsync($"governance: {file} is not valid JSON ({ex.Message}); fix or move it, then run init again. Nothing was changed.");
                return 2;
            }
            if (edit(document) is { } change)
            {
                changes.Add((file, document, change));
            }
            else
            {
                await output.WriteLineAsync($"unchanged: {file}");
            }
        }

        foreach (var (file, document, change) in changes)
        {
            var text = document.ToJsonString(Indented) + "\n";
            if (remove && document.Count == 0)
            {
                // Nothing but what init added was in the file: remove the file as well.
                if (dryRun)
                {
                    await output.WriteLineAsync($"dry run, not written — {change} and delete the then empty file: {file}");
                }
                else
                {
                    File.Delete(file);
                    await output.WriteLineAsync($"{change} and deleted the then empty file: {file}");
                }
                continue;
            }
            if (dryRun)
            {
                await output.WriteLineAsync($"dry run, not written — {change}: {file}");
                await output.WriteLineAsync(text);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // Write beside and rename, so an interrupted init never leaves a half-written settings file.
            var temporary = file + ".governance-tmp";
            await File.WriteAllTextAsync(temporary, text);
            File.Move(temporary, file, overwrite: true);
            await output.WriteLineAsync($"{change}: {file}");
        }
        if (!remove && !dryRun && changes.Count > 0)
        {
            await output.WriteLineAsync("Claude Code now asks governance before every tool call. Check with: claude mcp list");
        }
        // Removing everything init wrote may leave the .claude folder it created empty: leave no trace.
        var claudeFolder = Path.GetDirectoryName(settingsFile)!;
        if (remove && !dryRun && Directory.Exists(claudeFolder) && !Directory.EnumerateFileSystemEntries(claudeFolder).Any())
        {
            Directory.Delete(claudeFolder);
            await output.WriteLineAsync($"deleted the then empty folder: {claudeFolder}");
        }
        return 0;
    }

    private static string? AddServer(JsonObject document, JsonObject server)
    {
        var servers = document["mcpServers"] as JsonObject;
        if (servers is null)
        {
            document["mcpServers"] = servers = [];
        }
        if (servers[ServerName] is JsonNode existing && JsonNode.DeepEquals(existing, server))
        {
            return null;
        }
        var verb = servers.ContainsKey(ServerName) ? "updated mcpServers.governance" : "added mcpServers.governance";
        servers[ServerName] = server.DeepClone();
        return verb;
    }

    private static string? RemoveServer(JsonObject document)
    {
        if (document["mcpServers"] is not JsonObject servers || !servers.Remove(ServerName))
        {
            return null;
        }
        if (servers.Count == 0)
        {
            document.Remove("mcpServers");
        }
        return "removed mcpServers.governance";
    }

    private static string? AddApproval(JsonObject document)
    {
        var approved = document["enabledMcpjsonServers"] as JsonArray;
        if (approved is null)
        {
            document["enabledMcpjsonServers"] = approved = [];
        }
        if (approved.Any(n => n?.GetValue<string>() == ServerName))
        {
            return null;
        }
        approved.Add(ServerName);
        return "approved the project's governance server (enabledMcpjsonServers)";
    }

    private static string? RemoveApproval(JsonObject document)
    {
        if (document["enabledMcpjsonServers"] is not JsonArray approved || approved.FirstOrDefault(n => n?.GetValue<string>() == ServerName) is not { } entry)
        {
            return null;
        }
        approved.Remove(entry);
        if (approved.Count == 0)
        {
            document.Remove("enabledMcpjsonServers");
        }
        return "withdrew the approval of the governance server (enabledMcpjsonServers)";
    }

    /// <summary>The hook groups init owns, per event: every tool, one hook calling governance.</summary>
    public static IReadOnlyList<(string Event, JsonObject Entry)> HookEntries(HookKind kind, string executable, GovernanceSettings settings, bool failClosed,
        string serviceUrl) => kind switch
        {
            HookKind.Command =>
            [
                ("PreToolUse", Group(CommandHook(executable, settings, failClosed))),
                ("PostToolUse", Group(CommandHook(executable, settings, failClosed: false))),
                ("PostToolUseFailure", Group(CommandHook(executable, settings, failClosed: false))),
            ],
            HookKind.Http =>
            [
                ("PreToolUse", Group(HttpHook(serviceUrl + "/hooks/pre-tool-use" + (failClosed ? "?fail_closed=true" : "")))),
                ("PostToolUse", Group(HttpHook(serviceUrl + "/hooks/post-tool-use"))),
                ("PostToolUseFailure", Group(HttpHook(serviceUrl + "/hooks/post-tool-use"))),
            ],
            _ =>
            [
                ("PreToolUse", Group(McpToolHook(HookTool, PreToolUseInput()))),
                ("PostToolUse", Group(McpToolHook(PostHookTool, PostToolUseInput()))),
                ("PostToolUseFailure", Group(McpToolHook(PostHookTool, PostToolUseInput()))),
            ],
        };

    /// <summary>The API key travels from the environment Claude Code runs in, never written into the settings file.</summary>
    private static JsonObject HttpHook(string url) => new()
    {
        ["type"] = "http",
        ["url"] = url,
        ["headers"] = new JsonObject { ["Authorization"] = "Bearer $" + HttpService.ApiKeyVariable },
        ["allowedEnvVars"] = new JsonArray(HttpService.ApiKeyVariable),
        ["timeout"] = 30,
    };

    private static JsonObject Group(JsonObject hook) => new() { ["matcher"] = "*", ["hooks"] = new JsonArray(hook) };

    private static JsonObject McpToolHook(string tool, JsonObject input) => new()
    {
        ["type"] = "mcp_tool",
        ["server"] = ServerName,
        ["tool"] = tool,
        ["input"] = input,
    };

    private static JsonObject PreToolUseInput() => new()
    {
        ["tool_name"] = "${tool_name}",
        ["command"] = "${tool_input.command}",
        ["file_path"] = "${tool_input.file_path}",
        ["content"] = "${tool_input.content}",
        ["old_string"] = "${tool_input.old_string}",
        ["new_string"] = "${tool_input.new_string}",
        ["url"] = "${tool_input.url}",
        ["cwd"] = "${cwd}",
        ["session_id"] = "${session_id}",
        ["tool_use_id"] = "${tool_use_id}",
    };

    private static JsonObject PostToolUseInput() => new()
    {
        ["hook_event_name"] = "${hook_event_name}",
        ["tool_name"] = "${tool_name}",
        ["session_id"] = "${session_id}",
        ["tool_use_id"] = "${tool_use_id}",
        ["error"] = "${error}",
        ["is_interrupt"] = "${is_interrupt}",
        ["interrupted"] = "${tool_response.interrupted}",
    };

    /// <summary>
    /// A process per call: `governance hook` with the same root and configuration as the server. Claude Code runs the
    /// tool if a hook times out, so the timeout is generous; the hook answers itself well before it (fail-open or closed).
    /// </summary>
    private static JsonObject CommandHook(string executable, GovernanceSettings settings, bool failClosed)
    {
        var words = new List<string> { executable, "hook", "--root", settings.Root };
        if (settings.ConfigPath is { } configPath)
        {
            words.AddRange(["--config", configPath]);
        }
        if (failClosed)
        {
            words.Add("--fail-closed");
        }
        return new JsonObject
        {
            ["type"] = "command",
            ["command"] = string.Join(' ', words.Select(ShellQuote)),
            ["timeout"] = 60,
        };
    }

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '=' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsOurs(JsonNode? entry) =>
        entry?["hooks"] is JsonArray hooks && hooks.Any(h =>
            (h?["type"]?.GetValue<string>() == "mcp_tool" && h["server"]?.GetValue<string>() == ServerName
                && h["tool"]?.GetValue<string>() is HookTool or PostHookTool)
            || (h?["type"]?.GetValue<string>() == "command" && h["command"]?.GetValue<string>() is { } command && OurCommand().IsMatch(command))
            || (h?["type"]?.GetValue<string>() == "http" && h["url"]?.GetValue<string>() is { } url
                && (url.Contains("/hooks/pre-tool-use", StringComparison.Ordinal) || url.Contains("/hooks/post-tool-use", StringComparison.Ordinal))));

    [System.Text.RegularExpressions.GeneratedRegex(@"^'?[^ ']*/governance'? hook( |$)", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex OurCommand();

    private static readonly string[] HookEvents = ["PreToolUse", "PostToolUse", "PostToolUseFailure"];

    private static string? AddHooks(JsonObject document, IReadOnlyList<(string Event, JsonObject Entry)> entries, string description)
    {
        var hooks = document["hooks"] as JsonObject;
        if (hooks is null)
        {
            document["hooks"] = hooks = [];
        }
        var wanted = entries.ToDictionary(e => e.Event, e => e.Entry, StringComparer.Ordinal);
        var changed = false;
        var replaced = false;
        foreach (var eventName in HookEvents)
        {
            var groups = hooks[eventName] as JsonArray;
            var ours = groups?.Where(IsOurs).ToList() ?? [];
            wanted.TryGetValue(eventName, out var entry);
            if (entry is not null && ours.Count == 1 && JsonNode.DeepEquals(ours[0], entry))
            {
                continue;
            }
            if (entry is null && ours.Count == 0)
            {
                continue;
            }
            changed = true;
            replaced |= ours.Count > 0;
            if (groups is null)
            {
                hooks[eventName] = groups = [];
            }
            foreach (var old in ours)
            {
                groups.Remove(old);
            }
            if (entry is not null)
            {
                groups.Add(entry);
            }
        }
        return changed ? (replaced ? "updated the hooks to " : "added hooks: ") + description : null;
    }

    private static string? RemoveHooks(JsonObject document)
    {
        if (document["hooks"] is not JsonObject hooks)
        {
            return null;
        }
        var removed = new List<string>();
        foreach (var eventName in HookEvents)
        {
            if (hooks[eventName] is not JsonArray groups)
            {
                continue;
            }
            var ours = groups.Where(IsOurs).ToList();
            foreach (var old in ours)
            {
                groups.Remove(old);
            }
            if (ours.Count > 0)
            {
                removed.Add(eventName);
            }
            // Leave no empty containers behind that init created.
            if (groups.Count == 0)
            {
                hooks.Remove(eventName);
            }
        }
        if (hooks.Count == 0)
        {
            document.Remove("hooks");
        }
        return removed.Count == 0 ? null : "removed the governance hooks (" + string.Join(", ", removed) + ")";
    }
}
