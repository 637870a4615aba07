using System.Diagnostics;
using System.Text.Json;
using Governance.TestKit;
using LiteDB;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// A real Claude Code session (print mode) in a project wired by governance init, against a scripted Messages API
/// on 127.0.0.1 (tests/e2e/scripted-model.js): the mcp_tool PreToolUse hook decides through the running server.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class ClaudeCodeSessionTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _work = new("governance-claude-session");

    private string Project => _work.Combine("project");

    [Fact]
    public async Task Session_DangerousCommandDeniedByHook_BenignCommandRuns_DecisionsRecorded()
    {
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(_work.Combine("home"));
        Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["init", "-q", Project])).ExitCode);
        File.WriteAllText(Path.Combine(Project, "sentinel.txt"), "keep");
        var init = await server.RunAsync(["init", "--project", Project]);
        Assert.True(init.ExitCode == 0, init.ToString());
        File.WriteAllText(_work.Combine("script.json"), System.Text.Json.JsonSerializer.Serialize(new object[]
        {
            // Claude Code 2.1.197 in print mode sends its first request ~0.1 s after start, before MCP servers have
            // connected, and the hooks of that first turn see the server as not connected (the call runs: fail-open).
            // So the session opens with a harmless call; the dangerous one comes on the next turn.
            new { tool_use = new { name = "Bash", input = new { command = "echo first > first.txt", description = "start" } } },
            new { tool_use = new { name = "Bash", input = new { command = "rm sentinel.txt; git push --force origin main", description = "publish" } } },
            new { tool_use = new { name = "Bash", input = new { command = "echo ran > benign.txt", description = "note" } } },
            new { text = "done" },
        }));

        using var model = StartModel();
        try
        {
            await RunSessionAsync((await model.StandardOutput.ReadLineAsync())!.Trim());
        }
        finally
        {
            model.Kill(entireProcessTree: true);
        }
    }

    private async Task RunSessionAsync(string port)
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _work.Combine("home"),
            ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:" + port,
            ["ANTHROPIC_API_KEY"] = "sk-ant-test-dummy",
            ["ENABLE_TOOL_SEARCH"] = "false",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        };
        // The server is connected (and warm) as Claude Code sees it.
        var list = await ProcessRunner.RunAsync(server.ClaudeExecutable, ["mcp", "list"], workingDirectory: Project, environment: environment, timeout: TimeSpan.FromMinutes(2));
        Assert.True(list.Stdout.Contains("Connected", StringComparison.Ordinal), list.ToString());

        var session = await ProcessRunner.RunAsync(server.ClaudeExecutable,
            ["-p", "publish the project", "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash", "--debug", "hooks,mcp"],
            workingDirectory: Project, environment: environment, timeout: TimeSpan.FromMinutes(3));

        Assert.True(session.ExitCode == 0, session.ToString());
        // 1. The dangerous command did not run, and the model was told why.
        Assert.True(File.Exists(Path.Combine(Project, "sentinel.txt")), DebugLog() + "\n" + session);
        var requests = File.ReadAllLines(_work.Combine("requests.log")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var toolResults = requests.Where(r => r.GetProperty("tools").GetInt32() > 0)
            .SelectMany(r => r.GetProperty("messages").EnumerateArray())
            .SelectMany(m => m.GetProperty("content") is { ValueKind: JsonValueKind.Array } content ? content.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Where(c => c.GetProperty("type").GetString() == "tool_result")
            .Select(c => c.GetProperty("content").ToString())
            .ToList();
        Assert.Contains(toolResults, r => r.StartsWith("Governance deny by git-steward", StringComparison.Ordinal) && r.Contains("Instead:", StringComparison.Ordinal));
        // 2. The benign commands ran.
        Assert.Equal("first", File.ReadAllText(Path.Combine(Project, "first.txt")).Trim());
        Assert.Equal("ran", File.ReadAllText(Path.Combine(Project, "benign.txt")).Trim());
        // 3. Both decisions are in the server's LiteDB file under Claude Code's session id.
        var sessionId = session.Stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.GetProperty("type").GetString() == "system").GetProperty("session_id").GetString();
        using var database = new LiteDatabase($"Filename={Path.Combine(server.Directory, "data", "governance.db")};ReadOnly=true");
        var decisions = database.GetCollection("decisions").Find(Query.EQ("session_id", sessionId)).ToList();
        Assert.Contains(decisions, d => d["verdict"].AsString == "deny" && d["subject"].AsString.Contains("git push --force", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d["verdict"].AsString == "allow" && d["subject"].AsString.Contains("echo ran", StringComparison.Ordinal));
        Assert.All(decisions, d => Assert.StartsWith("toolu_", d["tool_use_id"].AsString, StringComparison.Ordinal));
    }

    // Claude Code's own account of hooks and MCP connections (--debug writes it under HOME/.claude/debug).
    private string DebugLog()
    {
        var directory = _work.Combine("home", ".claude", "debug");
        return Directory.Exists(directory)
            ? string.Join('\n', Directory.GetFiles(directory, "*.txt").SelectMany(File.ReadAllLines)
                .Where(l => l.Contains("hook", StringComparison.OrdinalIgnoreCase) || l.Contains("MCP server", StringComparison.Ordinal)))
            : "(no Claude Code debug log)";
    }

    private Process StartModel()
    {
        var info = new ProcessStartInfo(server.InspectorNode, [Path.Combine(RepoPaths.Root, "tests", "e2e", "scripted-model.js"), _work.Combine("script.json"), _work.Combine("requests.log")])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // A real model takes a few seconds before its first tool call.
        info.Environment["FIRST_DELAY_MS"] = "3000";
        return Process.Start(info)!;
    }

    public void Dispose() => _work.Dispose();
}
