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

    private static (string Permission, string Reason) Read(Decision decision)
    {
        var output = HookAnswer.From(decision)["hookSpecificOutput"]!;
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
        Assert.Equal("Governance allow: 3 persona(s) consulted, none objected. (decision d-1)", reason);
    }

    [Theory]
    [InlineData(Verdict.Ask, "ask", "a person should confirm it")]
    [InlineData(Verdict.Deny, "deny", "it is denied")]
    [InlineData(Verdict.Allow, "ask", "a person should confirm it")]
    public void From_RequestGovernanceCouldNotReview_AsksOrDeniesNeverAllows(Verdict verdict, string expected, string text)
    {
        var refused = Decision(verdict) with
        {
            Error = new GovernanceError { Error = "the hook payload is not valid JSON", CorrelationId = "c-1", Timestamp = DateTimeOffset.UnixEpoch },
        };

        var (permission, reason) = Read(refused);

        Assert.Equal(expected, permission);
        Assert.Contains("could not review this call (the hook payload is not valid JSON)", reason);
        Assert.Contains(text, reason);
    }

    [Fact]
    public void Failure_FailOpen_GivesNoDecisionAndTellsTheUser()
    {
        var answer = HookAnswer.Failure("the store is unreachable", failClosed: false);

        Assert.Null(answer["hookSpecificOutput"]);
        Assert.StartsWith("WARNING: governance could not review this tool call (the store is unreachable)", answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("allow", HookAnswer.Serialize(answer), StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_FailClosed_DeniesAndTellsTheUser()
    {
        var answer = HookAnswer.Failure("the store is unreachable", failClosed: true);

        Assert.Equal("deny", answer["hookSpecificOutput"]!["permissionDecision"]!.GetValue<string>());
        Assert.Contains("is configured fail-closed, so it is denied", answer["hookSpecificOutput"]!["permissionDecisionReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("the store is unreachable", answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_QuotesInReason_StayReadable()
    {
        var text = HookAnswer.Serialize(HookAnswer.Failure("'g' is an invalid start", failClosed: false));

        Assert.Contains("'g' is an invalid start", text, StringComparison.Ordinal);
    }
}
