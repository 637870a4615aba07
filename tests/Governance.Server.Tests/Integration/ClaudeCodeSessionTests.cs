using System.Diagnostics;
using System.Text.Json;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// A real Claude Code session (print mode) in a project wired by governance init, against a scripted Messages API
/// on 127.0.0.1 (tests/e2e/scripted-model.js), once per hook type init writes: the mcp_tool hook decides through the
/// connected stdio server, the command hook through <c>governance hook</c>, the http hook through a running
/// <c>serve --transport http</c>; numbers in comments follow the list.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class ClaudeCodeSessionTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _work = new("governance-claude-session");

    private string Project => _work.Combine("project");

    /// <summary>
    /// mcp_tool: Claude Code 2.1.197 in print mode sends its first request ~0.1 s after start, before MCP servers have
    /// connected, and the mcp_tool hooks of that first turn see the server as not connected (the call runs:
    /// fail-open), so that session opens with a harmless call. The command hook needs no connection: its session
    /// opens with the dangerous call.
    /// </summary>
    [Theory]
    [InlineData("mcp_tool")]
    [InlineData("command")]
    [InlineData("http")]
    public async Task Session_DangerousCommandDeniedByHook_ConsultAnswered_BenignCommandRuns_AllRecorded(string hook)
    {
        // The http hook posts to a service running on its own (as under systemd), on the same pack and database.
        await using var service = hook == "http"
            ? await HttpService.StartAsync(server.Executable, server.Directory, Path.Combine(server.Directory, "mcp_config.yaml"))
            : null;
        Directory.CreateDirectory(Project);
        Directory.CreateDirectory(_work.Combine("home"));
        Assert.Equal(0, (await ProcessRunner.RunAsync("git", ["init", "-q", Project])).ExitCode);
        File.WriteAllText(Path.Combine(Project, "sentinel.txt"), "keep");
        var init = await server.RunAsync(service is null ? ["init", "--project", Project, "--hook", hook] : ["init", "--project", Project, "--hook", hook, "--url", service.Url]);
        Assert.True(init.ExitCode == 0, init.ToString());
        var steps = new List<object>();
        if (hook == "mcp_tool")
        {
            steps.Add(new { tool_use = new { name = "Bash", input = new { command = "echo first > first.txt", description = "start" } } });
        }
        steps.Add(new { tool_use = new { name = "Bash", input = new { command = "rm sentinel.txt; git push --force origin main", description = "publish" } } });
        steps.Add(new { tool_use = new { name = "mcp__governance__consult_governance", input = new { operation = "Bash", context = new { command = "terraform destroy -auto-approve" } } } });
        steps.Add(new { tool_use = new { name = "Bash", input = new { command = "echo ran > benign.txt", description = "note" } } });
        steps.Add(new { tool_use = new { name = "Bash", input = new { command = "ls missing-directory", description = "look" } } });
        steps.Add(new { text = "done" });
        File.WriteAllText(_work.Combine("script.json"), JsonSerializer.Serialize(steps));

        using var model = StartModel();
        try
        {
            await RunSessionAsync((await model.StandardOutput.ReadLineAsync())!.Trim(), hook, service?.ApiKey);
        }
        finally
        {
            model.Kill(entireProcessTree: true);
        }
    }

    private async Task RunSessionAsync(string port, string hook, string? apiKey)
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
        if (apiKey is not null)
        {
            environment["GOVERNANCE_API_KEY"] = apiKey; // the http hook's Authorization header takes it from here
        }
        // 5. The server is connected (and warm) as Claude Code sees it.
        var list = await ProcessRunner.RunAsync(server.ClaudeExecutable, ["mcp", "list"], workingDirectory: Project, environment: environment, timeout: TimeSpan.FromMinutes(2));
        Assert.True(list.Stdout.Contains("Connected", StringComparison.Ordinal), list.ToString());

        var session = await ProcessRunner.RunAsync(server.ClaudeExecutable,
            ["-p", "publish the project", "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash,mcp__governance__consult_governance",
             "--debug", "hooks,mcp"],
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
            .Distinct()
            .ToList();
        Assert.True(toolResults.Any(r => r.Contains("Governance deny by git-steward", StringComparison.Ordinal) && r.Contains("Instead:", StringComparison.Ordinal)),
            string.Join("\n---\n", toolResults) + "\n" + DebugLog());
        // 3. consult_governance answered, and the model received the decision.
        Assert.True(toolResults.Any(r => r.Contains("\"decision_id\"", StringComparison.Ordinal) && r.Contains("\"persona_guidance\"", StringComparison.Ordinal)),
            string.Join("\n---\n", toolResults));
        // 2. The benign commands ran.
        if (hook == "mcp_tool")
        {
            Assert.Equal("first", File.ReadAllText(Path.Combine(Project, "first.txt")).Trim());
        }
        Assert.Equal("ran", File.ReadAllText(Path.Combine(Project, "benign.txt")).Trim());
        // 6. Every decision is in the LiteDB file under Claude Code's session id: both hook decisions (with their
        //    tool_use ids), the consult_governance one, and the outcome the PostToolUse hook recorded for the call that ran.
        var sessionId = session.Stdout.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .First(e => e.GetProperty("type").GetString() == "system").GetProperty("session_id").GetString()!;
        var history = await server.RunAsync(["history", "--json", "--session", sessionId, "--last", "50"]);
        Assert.True(history.ExitCode == 0, history.ToString());
        var decisions = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var denied = Assert.Single(decisions, d => d.GetProperty("subject").GetString()!.Contains("git push --force", StringComparison.Ordinal));
        Assert.Equal("deny", denied.GetProperty("verdict").GetString());
        Assert.StartsWith("toolu_", denied.GetProperty("tool_use_id").GetString(), StringComparison.Ordinal);
        Assert.True(denied.GetProperty("outcome").ValueKind == JsonValueKind.Null, history.Stdout + "\n" + DebugLog()); // it never ran
        var consulted = Assert.Single(decisions, d => d.GetProperty("subject").GetString()!.Contains("terraform destroy", StringComparison.Ordinal));
        Assert.NotEqual("allow", consulted.GetProperty("verdict").GetString());
        var benign = Assert.Single(decisions, d => d.GetProperty("subject").GetString()!.Contains("echo ran", StringComparison.Ordinal));
        Assert.Equal("allow", benign.GetProperty("verdict").GetString());
        Assert.StartsWith("toolu_", benign.GetProperty("tool_use_id").GetString(), StringComparison.Ordinal);
        Assert.True(benign.GetProperty("outcome").GetString() == "ran", history.Stdout + "\n" + DebugLog());
        // A command that exits non-zero reaches Claude Code's PostToolUseFailure hook: recorded as failed, with the error.
        var failing = Assert.Single(decisions, d => d.GetProperty("subject").GetString()!.Contains("ls missing-directory", StringComparison.Ordinal));
        Assert.True(failing.GetProperty("outcome").GetString() == "failed", history.Stdout + "\n" + DebugLog());
        Assert.Contains("missing-directory", failing.GetProperty("outcome_detail").GetString(), StringComparison.Ordinal);
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
