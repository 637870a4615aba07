using Governance.Server.Hooks;

namespace Governance.Server.Tests.Hooks;

/// <summary>Reading the payloads Claude Code 2.1.197 sends to command hooks (field names taken from its binary).</summary>
public sealed class HookEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_PreToolUse_KeepsToolAndWholePayload()
    {
        var hook = HookEvent.Parse("""{"session_id":"s","hook_event_name":"PreToolUse","tool_name":"Edit","tool_input":{"file_path":"a.cs"},"tool_use_id":"toolu_1"}""");

        Assert.Equal(("PreToolUse", "Edit", false), (hook.EventName, hook.ToolName, hook.IsPost));
        Assert.Equal("a.cs", hook.Payload["tool_input"]!["file_path"]!.GetValue<string>());
    }

    [Fact]
    public void Parse_NoEventName_IsPreToolUse()
    {
        Assert.Equal("PreToolUse", HookEvent.Parse("""{"tool_name":"Bash","tool_input":{"command":"ls"}}""").EventName);
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"tool_name\": ", "not valid JSON")]
    [InlineData("""{"hook_event_name":"SessionStart","tool_name":"Bash"}""", "'SessionStart' is not handled")]
    [InlineData("""{"hook_event_name":"PreToolUse","tool_name":""}""", "no tool_name")]
    public void Parse_NotAHookPayload_SaysWhatIsWrong(string text, string message)
    {
        var error = Assert.Throws<HookInputException>(() => HookEvent.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_PostToolUse_RanWithoutKeepingTheOutput()
    {
        var hook = HookEvent.Parse("""{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"stdout":"AKIA... secret","interrupted":false},"tool_use_id":"toolu_1"}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal(("toolu_1", "s1", "Bash", "ran", ""), (outcome.ToolUseId, outcome.SessionId, outcome.ToolName, outcome.Status, outcome.Detail));
        Assert.Equal(Now, outcome.Timestamp);
    }

    [Fact]
    public void Outcome_PostToolUseInterrupted_IsInterrupted()
    {
        var hook = HookEvent.Parse("""{"hook_event_name":"PostToolUse","tool_name":"Bash","tool_response":{"interrupted":true},"tool_use_id":"toolu_1"}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal(("interrupted", "fallback"), (outcome.Status, outcome.SessionId));
    }

    [Fact]
    public void Outcome_PostToolUseFailure_FailedWithTheErrorBounded()
    {
        var error = "Exit code 1 " + new string('e', 500);
        var hook = HookEvent.Parse($$"""{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_1","error":"{{error}}","is_interrupt":false}""");

        var outcome = hook.Outcome("fallback", Now);

        Assert.Equal("failed", outcome.Status);
        Assert.StartsWith("Exit code 1 eee", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(201, outcome.Detail.Length);
    }

    [Fact]
    public void Outcome_PostToolUseFailureInterrupted_IsInterrupted()
    {
        var hook = HookEvent.Parse("""{"hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_1","error":"aborted","is_interrupt":true}""");

        Assert.Equal("interrupted", hook.Outcome("fallback", Now).Status);
    }
}
