using System.Text.Json;
using Governance.Server.Hooks;

namespace Governance.Server.Tests.Hooks;

/// <summary>Reading the outcome of the payloads Claude Code 2.1.197 sends to PostToolUse hooks (field names taken from its binary).</summary>
public sealed class HookEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static HookEvent Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement.Clone();
        return new HookEvent(root.GetProperty("hook_event_name").GetString()!, root.GetProperty("tool_name").GetString()!, root);
    }

    [Fact]
    public void Outcome_PostToolUse_RanWithoutKeepingTheOutput()
    {
        var hook = Parse("""{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"stdout":"AKIA... secret","interrupted":false},"tool_use_id":"toolu_1"}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal(("toolu_1", "s1", "Bash", "ran", ""), (outcome.ToolUseId, outcome.SessionId, outcome.ToolName, outcome.Status, outcome.Detail));
        Assert.Equal(Now, outcome.Timestamp);
    }

    [Fact]
    public void Outcome_PostToolUseInterrupted_IsInterrupted()
    {
        var hook = Parse("""{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"interrupted":true},"tool_use_id":"toolu_1"}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal(("interrupted", "fallback"), (outcome.Status, outcome.SessionId));
    }

    [Fact]
    public void Outcome_PostToolUseFailure_FailedWithTheErrorBounded()
    {
        var error = "Exit code 1 " + new string('e', 500);
        var hook = Parse($$"""{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_1","error":"{{error}}","is_interrupt":false}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal("failed", outcome.Status);
        Assert.StartsWith("Exit code 1 eee", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(201, outcome.Detail.Length);
    }

    [Fact]
    public void Outcome_PostToolUseFailureInterrupted_IsInterrupted()
    {
        var hook = Parse("""{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_1","error":"aborted","is_interrupt":true}""");

        Assert.Equal("interrupted", hook.Outcome("fallback", Now).Status);
    }
}
