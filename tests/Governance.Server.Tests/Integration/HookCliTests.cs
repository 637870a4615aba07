using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.TestKit;
using LiteDB;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// <c>governance hook</c> as Claude Code runs it: the published executable, a payload on stdin, the answer on stdout,
/// the exit code. Fail-open and fail-closed both ways, outcomes, the compiled-script cache, and several processes
/// (hooks and a running server) writing one LiteDB file at once.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class HookCliTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-hook").WithShippedPack();

    public void Dispose() => _pack.Dispose();

    private string Database => _pack.Combine("data", "governance.db");

    private static string Pre(string command, string toolUseId, string session = "claude-session-1") => new JsonObject
    {
        ["session_id"] = session,
        ["transcript_path"] = "/tmp/transcript.jsonl",
        ["cwd"] = "/home/dev/project",
        ["permission_mode"] = "default",
        ["hook_event_name"] = "PreToolUse",
        ["tool_name"] = "Bash",
        ["tool_input"] = new JsonObject { ["command"] = command, ["description"] = "test" },
        ["tool_use_id"] = toolUseId,
    }.ToJsonString();

    private Task<ProcessRunner.Result> Hook(string stdin, params string[] extra) =>
        server.RunAsync(["hook", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"), .. extra], stdin);

    private static JsonNode Output(ProcessRunner.Result result) => JsonNode.Parse(result.Stdout)!["hookSpecificOutput"]!;

    [Fact]
    public async Task Hook_DangerousCommand_DeniesNamingPersonaAndAlternativeAndRecordsWithSessionAndToolUseId()
    {
        var result = await Hook(Pre("git push --force origin main", "toolu_danger"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var output = Output(result);
        Assert.Equal("PreToolUse", output["hookEventName"]!.GetValue<string>());
        Assert.Equal("deny", output["permissionDecision"]!.GetValue<string>());
        var reason = output["permissionDecisionReason"]!.GetValue<string>();
        Assert.StartsWith("Governance deny by git-steward", reason, StringComparison.Ordinal);
        Assert.Contains("Instead:", reason, StringComparison.Ordinal);

        using var database = new LiteDatabase($"Filename={Database};ReadOnly=true");
        var stored = Assert.Single(database.GetCollection("decisions").FindAll());
        Assert.Equal(("claude-session-1", "toolu_danger", "deny"), (stored["session_id"].AsString, stored["tool_use_id"].AsString, stored["verdict"].AsString));
    }

    [Fact]
    public async Task Hook_BenignCommand_Allows()
    {
        var result = await Hook(Pre("dotnet test", "toolu_ok"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("allow", Output(result)["permissionDecision"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("this is not json", "not valid JSON", false)]
    [InlineData("", "the hook payload is empty", false)]
    [InlineData("""{"hook_event_name":"PreToolUse","tool_input":{"command":"ls"}}""", "no tool_name", false)]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"ls"},"tool_name":"Read"}""", "duplicate key", true)]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"ls \ud800"}}""", "not valid Unicode", true)]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"rm -rf ~"},"cwd":"\ud800"}""", "Governance deny by core-safety", false)]
    public async Task Hook_UnreadablePayload_AskedNeverAllowedAndRecordedEitherWay(string stdin, string problem, bool failClosed)
    {
        var result = await Hook(stdin, failClosed ? ["--fail-closed"] : []);

        Assert.True(result.ExitCode == 0, result.ToString());
        var answer = Output(result);
        Assert.NotEqual("allow", answer["permissionDecision"]!.GetValue<string>());
        Assert.Contains(problem, answer["permissionDecisionReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal); // a message, never a stack trace
        using var database = new LiteDatabase($"Filename={Database};ReadOnly=true");
        Assert.Single(database.GetCollection("decisions").FindAll());
    }

    [Fact]
    public async Task Hook_OverTheHardSizeLimit_DeniedUnreadInBothModes()
    {
        var config = _pack.Combine("mcp_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("max_request_bytes: 4194304", "max_request_bytes: 2048", StringComparison.Ordinal)
            .Replace("max_context_bytes: 1048576", "max_context_bytes: 1024", StringComparison.Ordinal));
        var payload = Pre("echo " + new string('x', 8192), "toolu_big");

        var open = await Hook(payload);
        var closed = await Hook(payload, "--fail-closed");

        foreach (var result in new[] { open, closed })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("deny", Output(result)["permissionDecision"]!.GetValue<string>());
            Assert.Contains("more than the hard limit of 2048 bytes", Output(result)["permissionDecisionReason"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Hook_UnknownEvent_NoDecisionFailOpenAndBlockedFailClosedByFlagOrConfigKey()
    {
        const string Stop = """{"hook_event_name":"Stop","tool_name":"Bash"}""";

        var open = await Hook(Stop);
        var closedByFlag = await Hook(Stop, "--fail-closed");
        var config = _pack.Combine("mcp_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("fail_closed: false", "fail_closed: true", StringComparison.Ordinal));
        var closedByKey = await Hook(Stop);

        Assert.True(open.ExitCode == 0, open.ToString());
        var answer = JsonNode.Parse(open.Stdout)!;
        Assert.Null(answer["hookSpecificOutput"]);
        Assert.Contains("'Stop' is not handled", answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var closed in new[] { closedByFlag, closedByKey })
        {
            Assert.Equal(2, closed.ExitCode);
            Assert.Equal("", closed.Stdout.Trim());
            Assert.Contains("configured fail-closed, so it is denied", closed.Stderr, StringComparison.Ordinal);
            Assert.Contains("'Stop' is not handled", closed.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/nonexistent-root")]
    [InlineData("")]
    public async Task Hook_WrongOrEmptyRoot_NoDecisionNamingThePathNeverAllow(string root)
    {
        using var empty = new TempDirectory("governance-empty-root");
        var path = root.Length > 0 ? root : empty.Path;

        var result = await server.RunAsync(["hook", "--root", path], Pre("git push -f origin main", "toolu_r"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var answer = JsonNode.Parse(result.Stdout)!;
        Assert.Null(answer["hookSpecificOutput"]);
        Assert.Contains(path, answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hook_BrokenConfigurationFailOpenAndFailClosed_WarnsOrBlocksNamingTheKey()
    {
        var config = _pack.Combine("mcp_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("mode: enforce", "mode: sometimes", StringComparison.Ordinal));

        var open = await Hook(Pre("ls", "toolu_1"));
        var closed = await Hook(Pre("ls", "toolu_2"), "--fail-closed");

        Assert.Equal(0, open.ExitCode);
        Assert.Contains("governance.mode", JsonNode.Parse(open.Stdout)!["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, closed.ExitCode);
        Assert.Contains("governance.mode", closed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hook_PostToolUseAndFailure_OutcomesShowInHistory()
    {
        await Hook(Pre("npm test", "toolu_a"));
        await Hook(Pre("npm run build", "toolu_b"));
        var ran = await Hook("""{"session_id":"claude-session-1","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{"command":"npm test"},"tool_response":{"stdout":"ok","interrupted":false},"tool_use_id":"toolu_a"}""");
        var failed = await Hook("""{"session_id":"claude-session-1","hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_input":{"command":"npm run build"},"tool_use_id":"toolu_b","error":"Exit code 1: tsc found 3 errors","is_interrupt":false}""");
        Assert.True(ran.ExitCode == 0 && ran.Stdout.Trim() == "", ran.ToString());
        Assert.True(failed.ExitCode == 0, failed.ToString());

        var history = await server.RunAsync(["history", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"), "--json"]);
        var entries = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("tool_use_id").GetString()!);
        Assert.Equal("ran", entries["toolu_a"].GetProperty("outcome").GetString());
        Assert.Equal("failed", entries["toolu_b"].GetProperty("outcome").GetString());
        Assert.Equal("Exit code 1: tsc found 3 errors", entries["toolu_b"].GetProperty("outcome_detail").GetString());
        var table = await server.RunAsync(["history", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"), "--last", "5"]);
        Assert.Contains(table.Stdout.Split('\n'), l => l.Contains("allow", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal) && l.Contains("npm run build", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hook_SecondRunWithUnchangedScripts_LoadsThemFromTheImageCacheWithoutCompiling()
    {
        var first = await Hook(Pre("ls", "toolu_1"));
        var second = await Hook(Pre("ls", "toolu_2"));

        Assert.Contains("Scripts: 0 loaded from the image cache, 4 compiled", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("Scripts: 4 loaded from the image cache, 0 compiled", second.Stderr, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(_pack.Combine("data", "script-cache"), "*.dll").Length == 4);
    }

    [Fact]
    public async Task Hook_ConcurrentHookProcessesAndRunningServer_LoseNoRecordAndCorruptNothing()
    {
        const int HookProcesses = 12;
        const int ServerCalls = 40;
        // Warm the script cache first so the hook processes start the way they do in use.
        Assert.Equal(0, (await Hook(Pre("ls", "toolu_warm", "warm-up"))).ExitCode);
        await using var mcp = await McpStdioClient.StartAsync(server.Executable, "serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"));

        // --no-forward: each hook process decides and writes the file itself, next to the server doing the same.
        // Two at a time beside the server: three writers overlap in every phase on a 2-core machine. Four at a time took
        // ~10 s a process on an idle machine (each loads and warms the whole pack) and pushed one past the hook's own 25 s
        // deadline in a loaded CI run, which is a no-decision answer, not the race this test is about.
        using var slots = new SemaphoreSlim(2);
        var hooks = Enumerable.Range(0, HookProcesses).Select(async i =>
        {
            await slots.WaitAsync();
            try
            {
                return await Hook(Pre(i % 2 == 0 ? $"rm -rf ~; echo {i}" : $"ls dir{i}", $"toolu_{i:00}", "hooks"), "--no-forward");
            }
            finally
            {
                slots.Release();
            }
        }).ToArray();
        var calls = Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < ServerCalls; i++)
            {
                var (isError, body) = await mcp.CallToolAsync("consult_governance", new JsonObject
                {
                    ["operation"] = "Bash",
                    ["context"] = new JsonObject { ["command"] = $"cat file{i}.txt", ["session_id"] = "server" },
                });
                Assert.False(isError, body.ToString());
                ids.Add(body.GetProperty("decision_id").GetString()!);
            }
            return ids;
        });
        var results = await Task.WhenAll(hooks);
        var serverIds = await calls;
        await mcp.DisposeAsync(); // the server flushes its batched writer as it stops

        var hookIds = results.Select(r =>
        {
            Assert.True(r.ExitCode == 0 && Output(r)?["permissionDecisionReason"] is not null, r.ToString());
            var reason = Output(r)["permissionDecisionReason"]!.GetValue<string>();
            return reason[(reason.LastIndexOf("(decision ", StringComparison.Ordinal) + "(decision ".Length)..^1];
        }).ToArray();
        using var database = new LiteDatabase($"Filename={Database};ReadOnly=true");
        var decisions = database.GetCollection("decisions");
        var stored = decisions.FindAll().Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
        Assert.All(hookIds, id => Assert.Contains(id, stored));
        Assert.All(serverIds, id => Assert.Contains(id, stored));
        Assert.Equal(HookProcesses + ServerCalls + 1, stored.Count);
        Assert.Equal(HookProcesses, database.GetCollection("sessions").FindById("hooks")["metrics"]["total_requests"].AsInt64);
        Assert.Equal(ServerCalls, database.GetCollection("sessions").FindById("server")["metrics"]["total_requests"].AsInt64);
        // Every document reads back whole and the indexes agree with a full scan.
        Assert.Equal(HookProcesses / 2, decisions.Count(Query.EQ("verdict", "deny")));
        Assert.Equal(HookProcesses / 2, decisions.FindAll().Count(d => d["session_id"].AsString == "hooks" && d["verdict"].AsString == "deny"));
    }

    [Fact]
    public async Task Hook_ServerRunningOnTheSamePack_AnswersThroughItAndItRecordsDecisionAndOutcome()
    {
        var deadSocket = _pack.Combine("data", "run", "governance-999999.sock"); // left behind by a killed server
        Directory.CreateDirectory(Path.GetDirectoryName(deadSocket)!);
        File.WriteAllText(deadSocket, "");
        await using var mcp = await McpStdioClient.StartAsync(server.Executable, "serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"));
        await McpStdioClient.EventuallyAsync(() => Task.FromResult(File.Exists(_pack.Combine("data", ".ports.json"))), registered => registered,
            TimeSpan.FromSeconds(30), "the server registers its hook endpoint in data/.ports.json");

        Assert.False(File.Exists(deadSocket));
        var hooks = (await mcp.ReadResourceAsync("governance://config")).GetProperty("hooks");
        Assert.Equal(_pack.Combine("data", ".ports.json"), hooks.GetProperty("registry").GetString());
        Assert.False(hooks.GetProperty("fail_closed").GetBoolean());
        var pre = await Hook(Pre("git push --force origin main", "toolu_fw", "forwarded"));
        var post = await Hook("""{"session_id":"forwarded","hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_fw","error":"denied"}""");

        Assert.True(pre.ExitCode == 0, pre.ToString());
        Assert.Contains("answered by the running server", pre.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Scripts:", pre.Stderr, StringComparison.Ordinal); // no policy was loaded in the hook process
        Assert.Equal("deny", Output(pre)["permissionDecision"]!.GetValue<string>());
        Assert.Contains("answered by the running server", post.Stderr, StringComparison.Ordinal);
        // The server's batched writer commits within its window: read until both records are there.
        var history = await McpStdioClient.EventuallyAsync(
            () => server.RunAsync(["history", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"), "--json", "--session", "forwarded"]),
            h => h.Stdout.Contains("\"outcome\":\"failed\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the forwarded decision and outcome in history");
        var entry = JsonDocument.Parse(history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()).RootElement;
        Assert.Equal(("deny", "toolu_fw", "failed"), (entry.GetProperty("verdict").GetString(), entry.GetProperty("tool_use_id").GetString(), entry.GetProperty("outcome").GetString()));

        await mcp.DisposeAsync();
        Assert.DoesNotContain("\"pid\"", File.ReadAllText(_pack.Combine("data", ".ports.json")), StringComparison.Ordinal); // unregistered on exit
    }

    [Fact]
    public async Task Hook_StaleServerEntry_DecidesItselfAndStillAnswers()
    {
        Directory.CreateDirectory(_pack.Combine("data"));
        File.WriteAllText(_pack.Combine("data", ".ports.json"), new JsonObject
        {
            ["servers"] = new JsonArray(new JsonObject
            {
                ["pid"] = 999_999,
                ["transport"] = "unix",
                ["endpoint"] = _pack.Combine("data", "run", "gone.sock"),
                ["root"] = _pack.Path,
                ["config"] = _pack.Combine("mcp_config.yaml"),
                ["started"] = "2026-11-25T00:00:00Z",
            }),
        }.ToJsonString());

        var result = await Hook(Pre("git push --force origin main", "toolu_stale"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("deny", Output(result)["permissionDecision"]!.GetValue<string>());
        Assert.Contains("did not answer", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Scripts:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hook_ProcessesKilledMidWay_LeaveTheFileReadableAndWritable()
    {
        // Claude Code kills a hook that overruns its timeout, and people press Ctrl-C: a process may die holding
        // LiteDB's shared-mode mutex or in the middle of a commit. Kill hook processes at spread-out moments of their
        // run (start-up, policy load, decision, write) and check the file still reads whole and takes new records.
        Assert.Equal(0, (await Hook(Pre("ls", "toolu_warm", "killed"), "--no-forward")).ExitCode);
        for (var i = 0; i < 10; i++)
        {
            var info = new System.Diagnostics.ProcessStartInfo(server.Executable)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "hook", "--no-forward", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml") })
            {
                info.ArgumentList.Add(argument);
            }
            using var process = System.Diagnostics.Process.Start(info)!;
            await process.StandardInput.WriteAsync(Pre($"ls victim{i}", $"toolu_v{i}", "killed"));
            process.StandardInput.Close();
            await Task.Delay(150 + (i * 90));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var after = await Hook(Pre("git push --force origin main", "toolu_after", "killed"), "--no-forward");

        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("deny", Output(after)["permissionDecision"]!.GetValue<string>());
        using var database = new LiteDatabase($"Filename={Database};ReadOnly=true");
        var stored = database.GetCollection("decisions").FindAll().ToList();
        Assert.Contains(stored, d => d["tool_use_id"].AsString == "toolu_after");
        Assert.All(stored, d => Assert.False(string.IsNullOrEmpty(d["verdict"].AsString)));
        Assert.Equal(stored.Count, database.GetCollection("sessions").FindById("killed")["metrics"]["total_requests"].AsInt64);
    }
}
