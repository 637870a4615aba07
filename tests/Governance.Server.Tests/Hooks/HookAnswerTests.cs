using Governance.Abstractions.Decisions;
using Governance.Server.Hooks;

namespace Governance.Server.Tests.Hooks;

public sealed class HookAnswerTests
{
    private static Decision Decision(Verdict verdict, params (string Persona, string Verdict, double Confidence, string Guidance)[] voices) => new()
    {
        DecisionId = "d-1",
        CorrelationId = "c-1",
        SessionId = "s-1",
        Verdict = verdict,
        Summary = verdict.ToWire() + ": 3 persona(s) consulted, none objected.",
        PersonaGuidance = voices.ToDictionary(v => v.Persona, v => new PersonaGuidance { Verdict = v.Verdict, Confidence = v.Confidence, Guidance = v.Guidance }),
        Recommendations = ["Push to a feature branch.", "git push -u origin feature/x"],
    };

    private static (string Permission, string Reason) Read(Decision decision, bool failClosed = false)
    {
        var output = HookAnswer.From(decision, failClosed)["hookSpecificOutput"]!;
        Assert.Equal("PreToolUse", output["hookEventName"]!.GetValue<string>());
        return (output["permissionDecision"]!.GetValue<string>(), output["permissionDecisionReason"]!.GetValue<string>());
    }

    [Fact]
    public void From_Deny_NamesObjectingPersonasReasonAndAlternative()
    {
        var (permission, reason) = Read(Decision(Verdict.Deny,
            ("security-reviewer", "ask", 0.8, "Avoid sudo."), ("git-steward", "deny", 0.97, "Push to a feature branch."), ("docs", "allow", 0.97, "Fine.")));

        Assert.Equal("deny", permission);
        Assert.StartsWith("Governance deny by git-steward, security-reviewer. Push to a feature branch.", reason);
        Assert.Contains("Instead: git push -u origin feature/x.", reason);
        Assert.Contains("(decision d-1)", reason);
        Assert.DoesNotContain("docs", reason);
    }

    [Fact]
    public void From_Allow_SummaryAndDecisionId()
    {
        var (permission, reason) = Read(Decision(Verdict.Allow, ("docs", "allow", 0.97, "Fine.")));

        Assert.Equal("allow", permission);
        Assert.Equal("Governance allow: allow: 3 persona(s) consulted, none objected. (decision d-1)", reason);
    }

    [Theory]
    [InlineData(false, "allow", "WARNING: governance could not review this call")]
    [InlineData(true, "deny", "is configured fail-closed, so it is denied")]
    public void From_Error_FailOpenAllowsLoudlyFailClosedDenies(bool failClosed, string expected, string text)
    {
        var failed = Decision(Verdict.Ask) with
        {
            Error = new GovernanceError { Error = "operation 'Bash' is a command execution but the context has no 'command'", CorrelationId = "c-1", Timestamp = DateTimeOffset.UnixEpoch },
        };

        var (permission, reason) = Read(failed, failClosed);

        Assert.Equal(expected, permission);
        Assert.Contains(text, reason);
        Assert.Contains("has no 'command'", reason);
    }

    [Theory]
    [InlineData(false, "WARNING: governance could not review a tool call and let it run")]
    [InlineData(true, "Governance blocked a tool call it could not review")]
    public void Failure_TellsTheUserToo_ThroughASystemMessage(bool failClosed, string message)
    {
        var answer = HookAnswer.Failure("the store is unreachable", failClosed);

        Assert.StartsWith(message, answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("the store is unreachable", answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_QuotesInReason_StayReadable()
    {
        var text = HookAnswer.Serialize(HookAnswer.Failure("'g' is an invalid start", failClosed: false));

        Assert.Contains("'g' is an invalid start", text, StringComparison.Ordinal);
    }
}
