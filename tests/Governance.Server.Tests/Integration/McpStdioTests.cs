using System.Text.Json;
using Governance.Core.Pipeline;
using Governance.TestKit;
using LiteDB;

namespace Governance.Server.Tests.Integration;

/// <summary>The published executable over real stdio, driven by the real MCP inspector CLI.</summary>
[Collection(PublishedServerCollection.Name)]
public sealed class McpStdioTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-mcp").WithShippedPack();

    [Fact]
    public async Task ToolsList_ShowsTheToolsWithObjectContextAndOutputSchemas()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var tools = Result(result).GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["consult_governance", "consult_persona", "get_historical_decisions", "post_tool_use", "pre_tool_use"], tools.Keys.Order());
        foreach (var name in new[] { "consult_governance", "consult_persona" })
        {
            var input = tools[name].GetProperty("inputSchema");
            Assert.Equal("object", input.GetProperty("properties").GetProperty("context").GetProperty("type").GetString());
            Assert.Contains("context", input.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
            var output = tools[name].GetProperty("outputSchema").GetProperty("properties");
            Assert.True(output.TryGetProperty("verdict", out _));
            Assert.True(output.TryGetProperty("persona_guidance", out _));
        }
        Assert.True(tools["get_historical_decisions"].GetProperty("outputSchema").GetProperty("properties").TryGetProperty("decisions", out _));
    }

    [Fact]
    public async Task ConsultGovernance_DangerousAndBenignCommands_DecidedAndStored()
    {
        var dangerous = await Consult("consult_governance", """{"operation":"Bash","context":{"command":"rm -rf ~","cwd":"/home/u/repo"}}""");
        var benign = await Consult("consult_governance", """{"operation":"Bash","context":{"command":"ls -la","cwd":"/home/u/repo"}}""");

        Assert.Equal("deny", dangerous.GetProperty("verdict").GetString());
        Assert.False(dangerous.GetProperty("approved").GetBoolean());
        Assert.NotEmpty(dangerous.GetProperty("persona_guidance").EnumerateObject());
        Assert.Equal("allow", benign.GetProperty("verdict").GetString());
        Assert.True(benign.GetProperty("approved").GetBoolean());
        Assert.InRange(benign.GetProperty("confidence").GetDouble(), 0.95, 1);

        var stored = StoredCorrelationIds();
        Assert.Contains(dangerous.GetProperty("correlation_id").GetString()!, stored);
        Assert.Contains(benign.GetProperty("correlation_id").GetString()!, stored);
    }

    [Fact]
    public async Task ConsultGovernance_ForcePushToMain_ObjectorLeadsWithAlternativesAndQuietPersonasAreCompact()
    {
        var deny = await Consult("consult_governance", """{"operation":"Bash","context":{"command":"git push --force origin main","cwd":"/home/u/repo"}}""");
        var allow = await Consult("consult_governance", """{"operation":"Bash","context":{"command":"ls -la","cwd":"/home/u/repo"}}""");

        Assert.Equal("deny", deny.GetProperty("verdict").GetString());
        Assert.StartsWith("deny (git-steward)", deny.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains(deny.GetProperty("recommendations").EnumerateArray(), r => r.GetString()!.Contains("git switch -c", StringComparison.Ordinal));
        var panel = deny.GetProperty("persona_guidance");
        Assert.Contains("feature branch", panel.GetProperty("git-steward").GetProperty("guidance").GetString(), StringComparison.Ordinal);
        foreach (var quiet in panel.EnumerateObject().Where(p => p.Value.GetProperty("verdict").GetString() == "allow"))
        {
            Assert.Equal(["confidence", "verdict"], quiet.Value.EnumerateObject().Select(p => p.Name).Order());
        }
        Assert.InRange(deny.GetRawText().Length, 1, 3 * 1024);
        Assert.InRange(allow.GetRawText().Length, 1, 1200);
    }

    [Fact]
    public async Task PreToolUse_TypicalDenyAndAllow_FitTheHookAnswerBudget()
    {
        // The agent reads this answer on every tool call: a deny under 1.5 KB, an allow under 400 bytes.
        var deny = await Hook("""{"tool_name":"Bash","command":"git push --force origin main","cwd":"/home/u/repo","session_id":"s"}""");
        var allow = await Hook("""{"tool_name":"Bash","command":"ls -la","cwd":"/home/u/repo","session_id":"s"}""");

        Assert.Equal("deny", deny.GetProperty("permissionDecision").GetString());
        Assert.Contains("Instead: git switch -c", deny.GetProperty("permissionDecisionReason").GetString(), StringComparison.Ordinal);
        Assert.InRange(deny.GetRawText().Length, 1, 1536);
        Assert.Equal("allow", allow.GetProperty("permissionDecision").GetString());
        Assert.InRange(allow.GetRawText().Length, 1, 400);
    }

    [Fact]
    public async Task ConsultPersona_AnswersWithThatPersonaOnly()
    {
        var decision = await Consult("consult_persona", """{"persona":"core-safety","operation":"Bash","context":{"command":"mkfs.ext4 /dev/sda1"}}""");

        Assert.Equal(["core-safety"], decision.GetProperty("persona_guidance").EnumerateObject().Select(p => p.Name));
        Assert.Equal("deny", decision.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task GetHistoricalDecisions_FindsEarlierDecisionsByPattern()
    {
        var earlier = await Consult("consult_governance", """{"operation":"Bash","context":{"command":"echo history-marker-42","session_id":"hist-session"}}""");

        var history = await Consult("get_historical_decisions", """{"pattern":"HISTORY-MARKER-42","session_id":"hist-session","limit":5}""");

        Assert.Equal(1, history.GetProperty("count").GetInt32());
        var entry = history.GetProperty("decisions")[0];
        Assert.Equal(earlier.GetProperty("decision_id").GetString(), entry.GetProperty("decision_id").GetString());
        Assert.Equal("echo history-marker-42", entry.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task GovernanceConfigResource_ShowsPersonasRulesThresholdsRevision()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "resources/read", "--uri", "governance://config");

        Assert.True(result.ExitCode == 0, result.ToString());
        var contents = Result(result).GetProperty("contents")[0];
        Assert.Equal("application/json", contents.GetProperty("mimeType").GetString());
        var config = JsonDocument.Parse(contents.GetProperty("text").GetString()!).RootElement;
        Assert.Equal(16, config.GetProperty("policy_revision").GetString()!.Length);
        Assert.Contains("core-safety", config.GetProperty("personas").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(0.95, config.GetProperty("thresholds").GetProperty("compliance_level").GetDouble());
        Assert.Equal(DecisionPipeline.Order, config.GetProperty("pipeline").EnumerateArray().Select(e => e.GetString()));
        Assert.True(config.GetProperty("metrics").TryGetProperty("overall", out _));
        Assert.Empty(config.GetProperty("load_errors").EnumerateArray());
    }

    [Fact]
    public async Task ResourcesList_ShowsConfigAndMetrics()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "resources/list");

        Assert.True(result.ExitCode == 0, result.ToString());
        var names = Result(result).GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToArray();
        Assert.Contains("governance_config", names);
        Assert.Contains("governance_metrics", names);
    }

    [Fact]
    public async Task ConsultGovernance_InvalidOperation_StructuredErrorAndRecorded()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/call", "--tool-name", "consult_governance",
            "--tool-args-json", """{"operation":"rm -rf /","context":{"command":"ls"}}""");

        Assert.True(result.ExitCode == 5, result.ToString()); // the inspector's exit code for an isError result
        var callResult = Result(result);
        Assert.True(callResult.GetProperty("isError").GetBoolean());
        var error = JsonDocument.Parse(callResult.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
        Assert.Contains("not a valid name", error.GetProperty("error").GetString());
        Assert.Equal("ask", error.GetProperty("fallback").GetString());
        Assert.True(DateTimeOffset.TryParse(error.GetProperty("timestamp").GetString(), out _));
        Assert.Contains(error.GetProperty("correlation_id").GetString()!, StoredCorrelationIds());
    }

    [Fact]
    public async Task ConsultGovernance_ContextNotAnObject_SeedErrorNamesTheArgumentAndIsRecorded()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/call", "--tool-name", "consult_governance",
            "--tool-args-json", """{"operation":"Bash","context":"rm -rf /"}""");

        Assert.True(result.ExitCode == 5, result.ToString());
        var error = JsonDocument.Parse(Result(result).GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
        Assert.Contains("context a JSON object", error.GetProperty("error").GetString());
        Assert.Equal(("unreadable_request", "ask"), (error.GetProperty("code").GetString(), error.GetProperty("fallback").GetString()));
        Assert.Contains(error.GetProperty("correlation_id").GetString()!, StoredCorrelationIds());
    }

    [Fact]
    public async Task GetHistoricalDecisions_BadArgument_StructuredError()
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/call", "--tool-name", "get_historical_decisions",
            "--tool-args-json", """{"verdict":"maybe"}""");

        Assert.Equal(5, result.ExitCode);
        var error = JsonDocument.Parse(Result(result).GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
        Assert.Contains("verdict 'maybe' is not one of allow, ask, deny, error", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PreToolUse_HookFields_AnsweredInHookFormatAndRecordedWithSessionAndToolUseId()
    {
        var denied = await Hook("""{"tool_name":"Bash","command":"FOO=1 bash -c 'rm -rf ~/'","cwd":"/home/dev/project","session_id":"claude-s1","tool_use_id":"toolu_01"}""");
        var allowed = await Hook("""{"tool_name":"Bash","tool_input":{"command":"git status"},"command":"","cwd":"/home/dev/project","session_id":"claude-s1","tool_use_id":"toolu_02"}""");

        Assert.Equal("PreToolUse", denied.GetProperty("hookEventName").GetString());
        Assert.Equal("deny", denied.GetProperty("permissionDecision").GetString());
        var reason = denied.GetProperty("permissionDecisionReason").GetString()!;
        Assert.Contains("operations-reviewer", reason);
        Assert.Contains("Instead: rm -rf ./dist ./build", reason);
        Assert.Equal("allow", allowed.GetProperty("permissionDecision").GetString());

        using var database = new LiteDatabase($"Filename={_pack.Combine("data", "governance.db")};ReadOnly=true");
        var stored = database.GetCollection("decisions").FindAll().Where(d => d["session_id"].AsString == "claude-s1").ToList();
        Assert.Equal(["toolu_01", "toolu_02"], stored.Select(d => d["tool_use_id"].AsString).Order());
        Assert.Equal("deny", stored.Single(d => d["tool_use_id"].AsString == "toolu_01")["verdict"].AsString);
    }

    private async Task<JsonElement> Hook(string argumentsJson)
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/call", "--tool-name", "pre_tool_use", "--tool-args-json", argumentsJson);
        Assert.True(result.ExitCode == 0, result.ToString());
        var text = Result(result).GetProperty("content")[0].GetProperty("text").GetString()!;
        return JsonDocument.Parse(text).RootElement.GetProperty("hookSpecificOutput").Clone();
    }

    private async Task<JsonElement> Consult(string tool, string argumentsJson)
    {
        var result = await server.InspectAsync(_pack.Path, "--method", "tools/call", "--tool-name", tool, "--tool-args-json", argumentsJson);
        Assert.True(result.ExitCode == 0, result.ToString());
        var callResult = Result(result);
        Assert.False(callResult.TryGetProperty("isError", out var isError) && isError.GetBoolean(), result.ToString());
        var structured = callResult.GetProperty("structuredContent");
        // The text block carries the same JSON, for clients that only read text.
        Assert.Equal(structured.GetRawText(), JsonDocument.Parse(callResult.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement.GetRawText());
        return structured.Clone();
    }

    private static JsonElement Result(ProcessRunner.Result result) =>
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("result").Clone();

    /// <summary>Reads the LiteDB file the server wrote, directly, after the server process has exited.</summary>
    private HashSet<string> StoredCorrelationIds()
    {
        using var database = new LiteDatabase($"Filename={_pack.Combine("data", "governance.db")};ReadOnly=true");
        return database.GetCollection("decisions").FindAll().Select(d => d["correlation_id"].AsString).ToHashSet();
    }

    public void Dispose() => _pack.Dispose();
}
