using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Server.Configuration;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance init</c>: wires a project (or the user) into Claude Code — the stdio server in .mcp.json and a
/// PreToolUse hook that calls its pre_tool_use tool in .claude/settings.json. Merges, never clobbers: other servers,
/// hooks and settings stay as they are; a re-run changes nothing; --remove takes out exactly what init adds.
/// </summary>
internal static class InitCommand
{
    public const string ServerName = "governance";
    public const string HookTool = "pre_tool_use";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(GovernanceSettings settings, string? project, string scope, bool dryRun, bool remove, TextWriter output, TextWriter error)
    {
        if (scope is not ("project" or "user"))
        {
            await error.WriteLineAsync($"governance: --scope '{scope}' must be project or user");
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
            (settingsFile, document => remove ? RemoveHook(document) : AddHook(document)),
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

    /// <summary>The hook entry init owns: a PreToolUse group for every tool whose one hook calls governance's pre_tool_use.</summary>
    public static JsonObject HookEntry() => new()
    {
        ["matcher"] = "*",
        ["hooks"] = new JsonArray(new JsonObject
        {
            ["type"] = "mcp_tool",
            ["server"] = ServerName,
            ["tool"] = HookTool,
            ["input"] = new JsonObject
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
            },
        }),
    };

    private static bool IsOurs(JsonNode? entry) =>
        entry?["hooks"] is JsonArray hooks && hooks.Any(h => h?["server"]?.GetValue<string>() == ServerName && h?["tool"]?.GetValue<string>() == HookTool);

    private static string? AddHook(JsonObject document)
    {
        var hooks = document["hooks"] as JsonObject;
        if (hooks is null)
        {
            document["hooks"] = hooks = [];
        }
        var preToolUse = hooks["PreToolUse"] as JsonArray;
        if (preToolUse is null)
        {
            hooks["PreToolUse"] = preToolUse = [];
        }
        var entry = HookEntry();
        var ours = preToolUse.Where(IsOurs).ToList();
        if (ours.Count == 1 && JsonNode.DeepEquals(ours[0], entry))
        {
            return null;
        }
        foreach (var old in ours)
        {
            preToolUse.Remove(old);
        }
        preToolUse.Add(entry);
        return ours.Count > 0 ? "updated the PreToolUse hook (mcp_tool governance/pre_tool_use)" : "added a PreToolUse hook (mcp_tool governance/pre_tool_use)";
    }

    private static string? RemoveHook(JsonObject document)
    {
        if (document["hooks"] is not JsonObject hooks || hooks["PreToolUse"] is not JsonArray preToolUse)
        {
            return null;
        }
        var ours = preToolUse.Where(IsOurs).ToList();
        if (ours.Count == 0)
        {
            return null;
        }
        foreach (var old in ours)
        {
            preToolUse.Remove(old);
        }
        // Leave no empty containers behind that init created.
        if (preToolUse.Count == 0)
        {
            hooks.Remove("PreToolUse");
        }
        if (hooks.Count == 0)
        {
            document.Remove("hooks");
        }
        return "removed the PreToolUse hook (mcp_tool governance/pre_tool_use)";
    }
}
