using System.Text.Json.Nodes;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary><c>governance init</c> on a project that already has Claude Code settings: merge, idempotence, dry run, removal.</summary>
[Collection(PublishedServerCollection.Name)]
public sealed class InitCliTests(PublishedServer server) : IDisposable
{
    private const string ExistingSettings = """
        {
          "permissions": { "allow": ["Bash(npm test)"] },
          "hooks": {
            "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./audit.sh" } ] } ],
            "PostToolUse": [ { "matcher": "Write", "hooks": [ { "type": "command", "command": "prettier --write" } ] } ]
          }
        }
        """;

    private const string ExistingMcp = """{ "mcpServers": { "github": { "command": "github-mcp", "args": [] } } }""";

    private readonly TempDirectory _project = new("governance-init");

    private string SettingsFile => _project.Combine(".claude", "settings.json");
    private string McpFile => _project.Combine(".mcp.json");

    private Task<ProcessRunner.Result> Init(params string[] extra) => server.RunAsync(["init", "--project", _project.Path, .. extra]);

    private void Seed()
    {
        Directory.CreateDirectory(_project.Combine(".claude"));
        File.WriteAllText(SettingsFile, ExistingSettings);
        File.WriteAllText(McpFile, ExistingMcp);
    }

    [Fact]
    public async Task Init_ExistingSettings_MergedWithAbsoluteExecutableAndOthersKept()
    {
        Seed();

        var result = await Init("--hook", "mcp_tool");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("added mcpServers.governance", result.Stdout);
        var mcp = JsonNode.Parse(File.ReadAllText(McpFile))!;
        Assert.Equal("github-mcp", mcp["mcpServers"]!["github"]!["command"]!.GetValue<string>());
        var governance = mcp["mcpServers"]!["governance"]!;
        Assert.Equal(server.Executable, governance["command"]!.GetValue<string>());
        Assert.True(Path.IsPathRooted(governance["command"]!.GetValue<string>()));
        Assert.Equal("serve", governance["args"]![0]!.GetValue<string>());

        var settings = JsonNode.Parse(File.ReadAllText(SettingsFile))!;
        Assert.Equal("Bash(npm test)", settings["permissions"]!["allow"]![0]!.GetValue<string>());
        var preToolUse = settings["hooks"]!["PreToolUse"]!.AsArray();
        Assert.Equal(2, preToolUse.Count);
        Assert.Equal("./audit.sh", preToolUse[0]!["hooks"]![0]!["command"]!.GetValue<string>());
        var hook = preToolUse[1]!["hooks"]![0]!;
        Assert.Equal(("mcp_tool", "governance", "pre_tool_use"), (hook["type"]!.GetValue<string>(), hook["server"]!.GetValue<string>(), hook["tool"]!.GetValue<string>()));
        Assert.Equal("${tool_input.command}", hook["input"]!["command"]!.GetValue<string>());
        Assert.Equal("prettier --write", settings["hooks"]!["PostToolUse"]![0]!["hooks"]![0]!["command"]!.GetValue<string>());
    }

    [Fact]
    public async Task Init_RunTwice_SecondRunChangesNothing()
    {
        Seed();
        await Init();
        var before = (File.ReadAllText(SettingsFile), File.ReadAllText(McpFile));

        var again = await Init();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(3, again.Stdout.Split('\n').Count(l => l.StartsWith("unchanged: ", StringComparison.Ordinal)));
        Assert.Equal(before, (File.ReadAllText(SettingsFile), File.ReadAllText(McpFile)));
    }

    [Fact]
    public async Task Init_DryRun_PrintsWithoutWriting()
    {
        var result = await Init("--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("dry run, not written — added mcpServers.governance: " + McpFile, result.Stdout);
        Assert.Contains(" hook --root ", result.Stdout);
        Assert.False(File.Exists(McpFile));
        Assert.False(File.Exists(SettingsFile));
    }

    [Fact]
    public async Task Init_Remove_TakesOutExactlyWhatItAdded()
    {
        Seed();
        await Init();

        var removed = await Init("--remove");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ExistingSettings), JsonNode.Parse(File.ReadAllText(SettingsFile))), File.ReadAllText(SettingsFile));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ExistingMcp), JsonNode.Parse(File.ReadAllText(McpFile))), File.ReadAllText(McpFile));
    }

    [Fact]
    public async Task Init_RemoveOnFreshProject_DeletesTheFilesItCreated()
    {
        await Init();

        await Init("--remove");

        Assert.False(File.Exists(McpFile));
        Assert.False(File.Exists(SettingsFile));
        Assert.False(File.Exists(_project.Combine(".claude", "settings.local.json")));
        Assert.False(Directory.Exists(_project.Combine(".claude")));
    }

    [Fact]
    public async Task Init_Project_ApprovesItsServerInTheUsersLocalSettings()
    {
        File.WriteAllText(_project.Combine(".gitkeep"), "");
        Directory.CreateDirectory(_project.Combine(".claude"));
        File.WriteAllText(_project.Combine(".claude", "settings.local.json"), "{ \"enabledMcpjsonServers\": [\"github\"] }");

        await Init();

        var local = JsonNode.Parse(File.ReadAllText(_project.Combine(".claude", "settings.local.json")))!;
        Assert.Equal(["github", "governance"], local["enabledMcpjsonServers"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Init_BrokenSettingsJson_RefusesAndLeavesItAlone()
    {
        Directory.CreateDirectory(_project.Combine(".claude"));
        File.WriteAllText(SettingsFile, "{ \"hooks\": ");

        var result = await Init();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("settings.json is not valid JSON", result.Stderr);
        Assert.Contains("Nothing was changed", result.Stderr);
        Assert.Equal("{ \"hooks\": ", File.ReadAllText(SettingsFile));
        Assert.False(File.Exists(McpFile));
    }

    private JsonArray Groups(string eventName) => JsonNode.Parse(File.ReadAllText(SettingsFile))!["hooks"]![eventName]!.AsArray();

    [Fact]
    public async Task Init_Default_WritesTheCommandHookForPreAndPostEventsAndTheCommandRuns()
    {
        Seed();

        var result = await Init();

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var eventName in new[] { "PreToolUse", "PostToolUse", "PostToolUseFailure" })
        {
            var hook = Groups(eventName).Last()!["hooks"]![0]!;
            Assert.Equal("command", hook["type"]!.GetValue<string>());
            Assert.StartsWith(server.Executable + " hook --root ", hook["command"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(60, hook["timeout"]!.GetValue<int>());
        }
        Assert.Equal("./audit.sh", Groups("PreToolUse")[0]!["hooks"]![0]!["command"]!.GetValue<string>());
        // The command as written, run the way Claude Code runs it (through a shell, payload on stdin).
        var command = Groups("PreToolUse").Last()!["hooks"]![0]!["command"]!.GetValue<string>();
        var run = await ProcessRunner.RunAsync("/bin/sh", ["-c", command],
            """{"session_id":"s","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf ~"},"tool_use_id":"toolu_x"}""");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("deny", JsonNode.Parse(run.Stdout)!["hookSpecificOutput"]!["permissionDecision"]!.GetValue<string>());
    }

    [Fact]
    public async Task Init_SwitchHookKind_ReplacesOnlyItsOwnHooks()
    {
        Seed();
        await Init("--hook", "mcp_tool");

        var switched = await Init("--hook", "command");

        Assert.True(switched.ExitCode == 0, switched.ToString());
        Assert.Contains("updated the hooks to command", switched.Stdout, StringComparison.Ordinal);
        var pre = Groups("PreToolUse");
        Assert.Equal(2, pre.Count);
        Assert.Equal("command", pre[1]!["hooks"]![0]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(pre, g => g!["hooks"]![0]!["type"]!.GetValue<string>() == "mcp_tool");
        Assert.Equal(2, Groups("PostToolUse").Count); // prettier and ours
    }

    [Fact]
    public async Task Init_FailClosed_SelectsTheCommandHookWithFailClosedOnPreToolUse()
    {
        var result = await Init("--fail-closed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith(" --fail-closed", Groups("PreToolUse").Single()!["hooks"]![0]!["command"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("--fail-closed", Groups("PostToolUse").Single()!["hooks"]![0]!["command"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--hook", "mcp_tool", "--fail-closed" }, "cannot be --fail-closed")]
    [InlineData(new[] { "--hook", "http", "--url", "not a url" }, "is not an absolute URL")]
    [InlineData(new[] { "--hook", "webhook" }, "must be command")]
    public async Task Init_ImpossibleHookChoice_RefusedAndNothingWritten(string[] arguments, string message)
    {
        var result = await Init(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(SettingsFile));
        Assert.False(File.Exists(McpFile));
    }

    [Fact]
    public async Task Init_RemoveAfterCommandHooks_RestoresTheOriginalFiles()
    {
        Seed();
        await Init("--hook", "command", "--fail-closed");

        var removed = await Init("--remove");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("PostToolUseFailure", removed.Stdout, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ExistingSettings), JsonNode.Parse(File.ReadAllText(SettingsFile))), File.ReadAllText(SettingsFile));
    }

    [Fact]
    public async Task Init_HookHttp_PostsToTheServiceWithTheApiKeyFromTheEnvironment()
    {
        Seed();

        var result = await Init("--hook", "http", "--url", "http://127.0.0.1:8123/", "--fail-closed");

        Assert.True(result.ExitCode == 0, result.ToString());
        var pre = Groups("PreToolUse").Last()!["hooks"]![0]!;
        Assert.Equal(("http", "http://127.0.0.1:8123/hooks/pre-tool-use?fail_closed=true"), (pre["type"]!.GetValue<string>(), pre["url"]!.GetValue<string>()));
        Assert.Equal("Bearer $GOVERNANCE_API_KEY", pre["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal(["GOVERNANCE_API_KEY"], pre["allowedEnvVars"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("http://127.0.0.1:8123/hooks/post-tool-use", Groups("PostToolUseFailure").Last()!["hooks"]![0]!["url"]!.GetValue<string>());

        var removed = await Init("--remove");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ExistingSettings), JsonNode.Parse(File.ReadAllText(SettingsFile))), File.ReadAllText(SettingsFile));
    }

    public void Dispose() => _project.Dispose();
}
