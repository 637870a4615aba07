using System.Text;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Storage;
using Governance.Core.Personas;
using Governance.Core.Validation;
using Governance.Server.Hooks;
using Governance.TestKit;

namespace Governance.Server.Tests.Hooks;

/// <summary>
/// The one handler behind every hook path, over the real pipeline and a real LiteDB file: what it answers for calls it
/// can and cannot read, and that each of them is recorded.
/// </summary>
public sealed class HookHandlerTests : IDisposable
{
    private static readonly RequestLimits Limits = new() { MaxRequestBytes = 64 * 1024, MaxContextBytes = 16 * 1024 };
    private readonly PipelineHarness _harness = new([new CoreSafetyPersona(), TestPersona.Says("reviewer", Verdict.Allow, 0.99)], limits: Limits);
    private readonly HookHandler _handler;

    public HookHandlerTests() => _handler = new HookHandler(_harness.Engine, _harness.Store, Limits, TimeProvider.System);

    private async Task<HookResult> HandleAsync(byte[] payload) => await _handler.HandleAsync(HookInput.From(payload), "conn", CancellationToken.None);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Permission(HookResult result) => result.Answer!["hookSpecificOutput"]!["permissionDecision"]!.GetValue<string>();

    private async Task<DecisionRecord> LastRecordAsync()
    {
        await _harness.Store.FlushAsync(CancellationToken.None);
        return Assert.Single(await _harness.Store.QueryAsync(new DecisionQuery { Limit = 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task Handle_PreToolUse_DecidedThroughThePipeline()
    {
        var result = await HandleAsync(Bytes("""{"session_id":"s1","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf ~"},"cwd":"/home/dev/repo","tool_use_id":"t1"}"""));

        Assert.Equal("deny", Permission(result));
        Assert.Equal(("deny", "s1", "t1"), ((await LastRecordAsync()).Verdict, (await LastRecordAsync()).SessionId, (await LastRecordAsync()).ToolUseId));
    }

    public static TheoryData<string, byte[], string> Unreadable => new()
    {
        { "empty", [], "is empty" },
        { "not json", Bytes("rm -rf ~"), "is not valid JSON" },
        { "truncated json", Bytes("""{"tool_name":"Bash","tool_input":{"command":"rm"""), "is not valid JSON" },
        { "byte order mark", [0xEF, 0xBB, 0xBF, .. Bytes("""{"tool_name":"Bash","tool_input":{"command":"ls"}}""")], "byte order mark" },
        { "invalid utf-8", [.. Bytes("""{"tool_name":"Bash","tool_input":{"command":"ls """), 0xC3, 0x28, .. Bytes("\"}}")], "not valid UTF-8" },
        { "duplicate key", Bytes("""{"tool_name":"Read","tool_input":{"command":"ls"},"tool_name":"Bash"}"""), "duplicate key" },
        { "array", Bytes("[1,2]"), "must be a JSON object" },
        { "no tool", Bytes("""{"hook_event_name":"PreToolUse","tool_input":{"command":"ls"}}"""), "no tool_name" },
        { "tool not a string", Bytes("""{"tool_name":{"x":1},"tool_input":{"command":"ls"}}"""), "no tool_name" },
        { "deep nesting", Bytes(new string('[', 5000) + new string(']', 5000)), "nested deeper than 64 levels" },
        { "huge number", Bytes("""{"tool_name":"Bash","tool_input":{"command":"ls","timeout":1e99999}}"""), "number out of range" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task Handle_PayloadGovernanceCannotRead_AsksAndRecordsIt(string what, byte[] payload, string problem)
    {
        var result = await HandleAsync(payload);

        Assert.Null(result.Problem);
        Assert.NotEqual("allow", Permission(result));
        var reason = result.Answer!["hookSpecificOutput"]!["permissionDecisionReason"]!.GetValue<string>();
        Assert.Contains(problem, reason, StringComparison.Ordinal);
        var record = await LastRecordAsync();
        Assert.True(record.Verdict is "error" or "ask", $"{what}: recorded {record.Verdict}");
    }

    [Fact]
    public async Task Handle_OverTheHardLimit_DeniedUnreadAndRecordedWithAPrefix()
    {
        var payload = Bytes($$$"""{"hook_event_name":"PreToolUse","tool_name":"Write","tool_input":{"file_path":"notes.md","content":"{{{new string('A', 100_000)}}}"}}""");
        var input = new HookInput(payload.AsMemory(0, Limits.MaxRequestBytes), payload.Length, HookInput.From(payload).Fields);

        var result = await _handler.HandleAsync(input, "conn", CancellationToken.None);

        Assert.Equal("deny", Permission(result));
        Assert.Contains("more than the hard limit of 65536 bytes", result.Answer!.ToJsonString(), StringComparison.Ordinal);
        var record = await LastRecordAsync();
        Assert.Equal("Write", record.Operation);
        Assert.StartsWith("{\"hook_event_name\":\"PreToolUse\"", record.ContextJson, StringComparison.Ordinal);
        Assert.True(record.ContextJson.Length < 10_000);
    }

    [Fact]
    public async Task Handle_OversizedContextUnderTheHardLimit_ReviewedAsFarAsItGoesNeverAllowed()
    {
        var benign = await HandleAsync(Bytes($$"""{"tool_name":"Bash","tool_input":{"command":"ls # {{new string('A', 30_000)}}"},"cwd":"/home/dev/repo"}"""));
        var dangerous = await HandleAsync(Bytes($$"""{"tool_name":"Bash","tool_input":{"command":"rm -rf ~ # {{new string('A', 30_000)}}"},"cwd":"/home/dev/repo"}"""));

        Assert.Equal("ask", Permission(benign));
        Assert.Equal("deny", Permission(dangerous));
    }

    [Theory]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"ls","description":"\ud800"},"cwd":"/home/dev/repo"}""", "ask")]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"rm -rf ~","description":"\udfff"},"cwd":"/home/dev/repo"}""", "deny")]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"ls\u0000 -la"},"cwd":"/home/dev/repo"}""", "ask")]
    [InlineData("""{"tool_name":"Bash","tool_input":{"command":"l\u200bs"},"cwd":"/home/dev/repo"}""", "ask")]
    public async Task Handle_InvalidOrHiddenTextInAnyField_StillAnalysedNeverAllowed(string payload, string expected)
    {
        Assert.Equal(expected, Permission(await HandleAsync(Bytes(payload))));
    }

    [Fact]
    public async Task Handle_UnknownEvent_IsAConfigurationProblemNotADecision()
    {
        var result = await HandleAsync(Bytes("""{"hook_event_name":"SessionStart","tool_name":"Bash"}"""));

        Assert.Null(result.Answer);
        Assert.Contains("'SessionStart' is not handled", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_PolicyUnusable_IsAFailureForTheCallersFailMode()
    {
        using var harness = new PipelineHarness([new CoreSafetyPersona()], coreOnly: true, limits: Limits);
        var handler = new HookHandler(harness.Engine, harness.Store, Limits, TimeProvider.System);

        var result = await handler.HandleAsync(HookInput.From(Bytes("""{"tool_name":"Bash","tool_input":{"command":"ls"}}""")), "conn", CancellationToken.None);

        Assert.Null(result.Answer);
        Assert.Contains("loaded no persona", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_PostToolUse_RecordsTheOutcome()
    {
        await HandleAsync(Bytes("""{"session_id":"s1","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"ls"},"cwd":"/home/dev/repo","tool_use_id":"t9"}"""));

        var result = await HandleAsync(Bytes("""{"session_id":"s1","hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"t9","error":"exit 1"}"""));

        Assert.Equal((null, null), (result.Answer, result.Problem));
        Assert.Equal("failed", (await LastRecordAsync()).Outcome?.Status);
    }

    [Fact]
    public async Task Handle_PostToolUseOverTheLimit_RecordedFromItsTopLevelFields()
    {
        await HandleAsync(Bytes("""{"session_id":"s1","hook_event_name":"PreToolUse","tool_name":"Read","tool_input":{"file_path":"big.log"},"cwd":"/home/dev/repo","tool_use_id":"t10"}"""));
        var payload = Bytes($$$"""{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Read","tool_response":{"content":"{{{new string('x', 100_000)}}}"},"tool_use_id":"t10"}""");

        var result = await _handler.HandleAsync(new HookInput(payload.AsMemory(0, 1000), payload.Length, HookInput.From(payload).Fields), "conn", CancellationToken.None);

        Assert.Null(result.Problem);
        Assert.Equal("ran", (await LastRecordAsync()).Outcome?.Status);
    }

    public void Dispose() => _harness.Dispose();
}
