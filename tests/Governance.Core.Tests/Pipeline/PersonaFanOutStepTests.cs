using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Core;
using Governance.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Core.Tests.Pipeline;

public sealed class PersonaFanOutStepTests
{
    [Fact]
    public async Task Decide_PersonasRunInParallel()
    {
        // Each persona waits until the other has started: run one after the other, the first would never see the second.
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = new TestPersona("a", async (_, token) =>
        {
            aStarted.SetResult();
            await bStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            return new PersonaVerdict { Verdict = Verdict.Allow, Confidence = 0.99 };
        });
        var b = new TestPersona("b", async (_, token) =>
        {
            bStarted.SetResult();
            await aStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), token);
            return new PersonaVerdict { Verdict = Verdict.Allow, Confidence = 0.99 };
        });
        using var harness = new PipelineHarness([a, b], thresholds: new PolicyThresholds { PersonaTimeout = TimeSpan.FromSeconds(30) });

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Equal(Verdict.Allow, decision.Verdict);
        Assert.All(decision.PersonaGuidance.Values, g => Assert.Equal("ok", g.Status));
    }

    [Fact]
    public async Task Decide_ThrowingPersona_IsolatedAndReported()
    {
        using var harness = new PipelineHarness([TestPersona.Says("good", Verdict.Allow, 0.99), TestPersona.Throws("broken")]);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Null(decision.Error);
        Assert.Equal("failed", decision.PersonaGuidance["broken"].Status);
        Assert.Contains("broken is broken", decision.PersonaGuidance["broken"].Rationale);
        Assert.Equal("ok", decision.PersonaGuidance["good"].Status);
        Assert.Contains(decision.Warnings, w => w.Code == "persona-failed" && w.Source == "broken");
        Assert.Equal(1, harness.Metrics.PersonaFailures);
    }

    [Fact]
    public async Task Decide_HangingPersona_TimesOutAndDecisionStillComesBack()
    {
        using var harness = new PipelineHarness(
            [TestPersona.Says("good", Verdict.Allow, 0.99), TestPersona.Hangs("slow", timeout: TimeSpan.FromMilliseconds(100))]);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("timed_out", decision.PersonaGuidance["slow"].Status);
        Assert.Contains(decision.Warnings, w => w.Code == "persona-timed-out");
        Assert.Equal(1, harness.Metrics.PersonaTimeouts);
    }

    [Fact]
    public async Task Decide_PersonaIgnoringCancellation_StillBoundedByTimeout()
    {
        using var harness = new PipelineHarness(
            [TestPersona.Says("good", Verdict.Allow, 0.99), TestPersona.Hangs("stubborn", TimeSpan.FromMilliseconds(100), ignoreCancellation: true)]);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("timed_out", decision.PersonaGuidance["stubborn"].Status);
    }

    [Fact]
    public async Task Decide_DefaultTimeoutFromThresholds_AppliesWithoutOverride()
    {
        using var harness = new PipelineHarness([TestPersona.Hangs("slow")],
            thresholds: new PolicyThresholds { PersonaTimeout = TimeSpan.FromMilliseconds(100) });

        var decision = await harness.DecideAsync("Bash", new { command = "ls" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("timed_out", decision.PersonaGuidance["slow"].Status);
        Assert.Equal(Verdict.Ask, decision.Verdict); // nobody answered
    }

    [Fact]
    public async Task Decide_UntimedPersonaSlowerThanTheTimeout_StillAnswers()
    {
        // A built-in or YAML persona is never timed: on a busy machine it may take longer than persona_timeout_ms,
        // and its verdict must still count. The clock is moved far past the timeout before the persona answers.
        var time = new FakeTimeProvider();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new TestPersona("slow", async (_, token) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(token);
            return new PersonaVerdict { Verdict = Verdict.Deny, Confidence = 0.95, Guidance = "slow but sure" };
        });
        using var harness = new PipelineHarness([slow], thresholds: new PolicyThresholds { PersonaTimeout = TimeSpan.FromMilliseconds(100) }, time: time);

        var deciding = harness.DecideAsync("Bash", new { command = "ls" }).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(5));
        release.SetResult();
        var decision = await deciding.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("ok", decision.PersonaGuidance["slow"].Status);
        Assert.Equal(Verdict.Deny, decision.Verdict);
        Assert.Equal(0, harness.Metrics.PersonaTimeouts);
    }

    [Fact]
    public async Task Decide_IrrelevantPersona_NotConsulted()
    {
        var gitOnly = new TestPersona("git", (_, _) => ValueTask.FromResult(new PersonaVerdict { Verdict = Verdict.Deny, Confidence = 1 }))
        {
            Relevant = op => op.Command.StartsWith("git", StringComparison.Ordinal),
        };
        using var harness = new PipelineHarness([TestPersona.Says("all", Verdict.Allow, 0.99), gitOnly]);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Equal(0, gitOnly.Calls);
        Assert.False(decision.PersonaGuidance.ContainsKey("git"));
        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Fact]
    public async Task ConsultPersona_OnlyThatPersona_EvenWhenNotTriggered()
    {
        var gitOnly = new TestPersona("git", (_, _) => ValueTask.FromResult(new PersonaVerdict { Verdict = Verdict.Allow, Confidence = 0.99 }))
        {
            Relevant = _ => false,
        };
        var other = TestPersona.Says("other", Verdict.Deny, 0.99);
        using var harness = new PipelineHarness([other, gitOnly]);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" }, onlyPersona: "git");

        Assert.Equal(["git"], decision.PersonaGuidance.Keys);
        Assert.Equal(0, other.Calls);
        Assert.Equal(Verdict.Allow, decision.Verdict);
    }

    [Fact]
    public async Task Decide_CoreOnlySnapshot_IsAFailureNeverAnAllow()
    {
        using var harness = new PipelineHarness([TestPersona.Says("core", Verdict.Allow, 0.99)], coreOnly: true);

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.NotEqual(Verdict.Allow, decision.Verdict);
        Assert.Equal(("policy_unavailable", true, "ask"), (decision.Error?.Code, decision.Error?.IsServerFault, decision.Error?.Fallback));
        Assert.Contains("loaded no persona", decision.Error!.Error, StringComparison.Ordinal);
        await harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("error", Assert.Single(await harness.Store.QueryAsync(new() { Limit = 5 }, CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task Decide_CoreOnlySnapshotFailClosed_Denies()
    {
        using var harness = new PipelineHarness([TestPersona.Says("core", Verdict.Allow, 0.99)], coreOnly: true, failure: new FailureOptions { FailClosed = true });

        var decision = await harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Equal((Verdict.Deny, "deny"), (decision.Verdict, decision.Error?.Fallback));
    }
}
