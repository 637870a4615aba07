using System.Diagnostics;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Scripting.Tests;

/// <summary>
/// Scripts that spin, recurse, allocate, throw, sleep or try to exit, run through the real loader and the real
/// persona fan-out: the decision comes back, the failure is reported, and the script's thread is released.
/// (This assembly runs one test class at a time, so the process CPU measured here is this test's.)
/// </summary>
public sealed class ScriptBudgetTests
{
    private static readonly Operation Bash = new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = "ls" };

    private readonly RoslynScriptLoader _loader = new(NullLogger<RoslynScriptLoader>.Instance, limits: new ScriptLimits { RunTimeout = TimeSpan.FromSeconds(1) });

    private static string Persona(string id, string evaluateBody, int timeoutMs = 300, string prologue = "") =>
        $"{prologue}\nreturn new PersonaScript {{ Id = \"{id}\", Name = \"{id}\", TimeoutMs = {timeoutMs}, Evaluate = (op, ct) => {{ {evaluateBody} }} }};";

    private async Task<IPersona> LoadAsync(string id, string text)
    {
        var result = await _loader.LoadPersonaAsync($"/pack/personas/{id}.csx", $"personas/{id}.csx", text, CancellationToken.None);
        Assert.Empty(result.Errors);
        return result.Persona!;
    }

    private static async Task<Decision> DecideAsync(PipelineHarness harness) =>
        await harness.DecideAsync("Bash", new { command = "ls" }).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    // A script still spinning holds a thread-pool worker and uses about a core in every window; once it has stopped, its
    // worker is back in the pool and the process goes quiet. Either sign is enough: on a loaded CI machine the process
    // can stay busy for a while with the runtime's background JIT of what earlier test classes ran, which says nothing
    // about the script, while a spinning script gives neither (its worker stays busy and it keeps burning CPU).
    private static async Task AssertCpuBecomesIdleAsync()
    {
        var window = TimeSpan.FromSeconds(1);
        var measured = new List<string>();
        using var process = Process.GetCurrentProcess();
        var releasedInARow = 0;
        for (var i = 0; i < 15; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            await Task.Delay(window);
            process.Refresh();
            var used = process.TotalProcessorTime - before;
            var busy = BusyWorkers();
            if (used < window * 0.3)
            {
                return;
            }
            // This test's own await continuation may hold one worker while it measures.
            releasedInARow = busy <= 1 ? releasedInARow + 1 : 0;
            if (releasedInARow >= 3)
            {
                return;
            }
            measured.Add($"{used.TotalMilliseconds:0} ms ({busy} busy)");
        }
        Assert.Fail($"the script was not released after it was stopped: {string.Join(", ", measured)} of CPU per second (busy thread-pool workers)");
    }

    private static int BusyWorkers()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return max - available;
    }

    [Theory]
    [InlineData("spinner", "while (true) { }", "")]
    [InlineData("recurser", "return Verdicts.Allow(1, Fib(90).ToString());", "static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);")]
    [InlineData("stubborn", "while (true) { try { for (;;) { } } catch (Exception) { } }", "")]
    [InlineData("jumper", "again: try { goto again; } catch { goto again; }", "")]
    public async Task Decide_RunawayPersona_TimedOutAndCpuIdleAfterwards(string id, string body, string prologue)
    {
        var runaway = await LoadAsync(id, Persona(id, body, prologue: prologue));
        using var harness = new PipelineHarness([runaway, TestPersona.Says("good", Verdict.Allow, 0.99)]);

        var decision = await DecideAsync(harness);

        Assert.Null(decision.Error);
        Assert.Equal("timed_out", decision.PersonaGuidance[id].Status);
        Assert.Equal("ok", decision.PersonaGuidance["good"].Status);
        await AssertCpuBecomesIdleAsync();
    }

    [Fact]
    public async Task Evaluate_SpinningPersona_ThreadLeavesTheScriptWhenTheDeadlinePasses()
    {
        // The fan-out stops waiting at the deadline anyway; this shows the script itself stops and gives its thread back.
        var spinner = await LoadAsync("spinner", Persona("spinner", "while (true) { try { while (true) { } } catch { } }"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var evaluation = Task.Run(() => spinner.EvaluateAsync(Bash, deadline.Token).AsTask());

        var stopped = await Assert.ThrowsAsync<ScriptTimedOutException>(() => evaluation.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ran past its deadline", stopped.Message);
    }

    [Fact]
    public async Task Decide_SpinningPersonaUnderFakeClock_StoppedWhenTheClockPassesTheDeadline()
    {
        var time = new FakeTimeProvider();
        var spinner = await LoadAsync("spinner", Persona("spinner", "while (true) { }", timeoutMs: 100));
        using var harness = new PipelineHarness([spinner], time: time);

        var deciding = harness.DecideAsync("Bash", new { command = "ls" }).AsTask();
        // Real time passing the timeout does nothing: the deadline is the persona's clock, not the wall clock.
        await Task.WhenAny(deciding, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(deciding.IsCompleted);
        var bound = Stopwatch.StartNew();
        while (!deciding.IsCompleted && bound.Elapsed < TimeSpan.FromSeconds(60))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(deciding, Task.Delay(50));
        }
        var decision = await deciding;

        Assert.Equal("timed_out", decision.PersonaGuidance["spinner"].Status);
        await AssertCpuBecomesIdleAsync();
    }

    [Fact]
    public async Task Decide_InfinitelyRecursivePersona_FailedWithoutEndingTheProcess()
    {
        var deep = await LoadAsync("deep", Persona("deep", "return Verdicts.Allow(1, Deep(0).ToString());", timeoutMs: 30_000,
            prologue: "static int Deep(int n) => Deep(n + 1) + 1;"));
        using var harness = new PipelineHarness([deep, TestPersona.Says("good", Verdict.Allow, 0.99)]);

        var first = await DecideAsync(harness);
        var second = await DecideAsync(harness);

        Assert.Equal("failed", first.PersonaGuidance["deep"].Status);
        Assert.Contains("recursed too deeply", first.PersonaGuidance["deep"].Rationale);
        Assert.Equal("failed", second.PersonaGuidance["deep"].Status);
        Assert.Equal("ok", second.PersonaGuidance["good"].Status);
    }

    [Fact]
    public async Task Decide_ThrowingPersona_FailedAndTheServerCarriesOn()
    {
        var thrower = await LoadAsync("thrower", Persona("thrower", "throw new InvalidOperationException(\"script bug\");"));
        using var harness = new PipelineHarness([thrower, TestPersona.Says("good", Verdict.Allow, 0.99)]);

        var first = await DecideAsync(harness);
        var second = await DecideAsync(harness);

        Assert.Equal("failed", first.PersonaGuidance["thrower"].Status);
        Assert.Contains("script bug", first.PersonaGuidance["thrower"].Rationale);
        Assert.Contains(first.Warnings, w => w.Code == "persona-failed" && w.Source == "thrower");
        Assert.Equal(("failed", "ok"), (second.PersonaGuidance["thrower"].Status, second.PersonaGuidance["good"].Status));
        Assert.Equal(2, harness.Metrics.PersonaFailures);
    }

    [Fact]
    public async Task Decide_AllocatingPersona_FailedWithAClearReasonAndMemoryReleased()
    {
        var hoarder = await LoadAsync("hoarder", Persona("hoarder", "var l = new List<byte[]>(); while (true) l.Add(new byte[1 << 20]);", timeoutMs: 60_000));
        using var harness = new PipelineHarness([hoarder, TestPersona.Says("good", Verdict.Allow, 0.99)]);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var decision = await DecideAsync(harness);

        Assert.Equal("failed", decision.PersonaGuidance["hoarder"].Status);
        Assert.Contains("ScriptMemoryExceededException: script persona hoarder allocated more than 256 MB in one evaluation and was stopped",
            decision.PersonaGuidance["hoarder"].Rationale);
        Assert.Equal("ok", decision.PersonaGuidance["good"].Status);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(after - baseline < 64L * 1024 * 1024, $"{(after - baseline) / (1024 * 1024)} MB still held after the script was stopped");
    }

    [Fact]
    public async Task Evaluate_PersonaSwallowingItsMemoryBudget_AnswerDoesNotCount()
    {
        var sly = await LoadAsync("sly", Persona("sly",
            "var l = new List<byte[]>(); try { while (true) l.Add(new byte[1 << 20]); } catch (Exception) { l.Clear(); } return Verdicts.Allow(1, \"fine\");"));

        await Assert.ThrowsAsync<ScriptMemoryExceededException>(() => sly.EvaluateAsync(Bash, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Decide_SpinningPlugin_PluginFailedAndCpuIdleAfterwards()
    {
        var text = "return new PluginScript { Id = \"spinner\", Enrich = (op, ct) => { while (true) { } } };";
        var plugin = await _loader.LoadPluginAsync("/pack/plugins/spinner.csx", "plugins/spinner.csx", text, CancellationToken.None);
        Assert.Empty(plugin.Errors);
        using var harness = new PipelineHarness([TestPersona.Says("good", Verdict.Allow, 0.99)],
            thresholds: new PolicyThresholds { PersonaTimeout = TimeSpan.FromMilliseconds(300) }, enrichers: [plugin.Enricher!]);

        var decision = await DecideAsync(harness);

        Assert.Contains(decision.Warnings, w => w.Code == "plugin-failed" && w.Message.Contains("timed out", StringComparison.Ordinal));
        Assert.Equal("ok", decision.PersonaGuidance["good"].Status);
        await AssertCpuBecomesIdleAsync();
    }

    [Fact]
    public async Task Load_TopLevelEnvironmentExit_LoadErrorAndTheProcessRunsOn()
    {
        var text = "Environment.Exit(0);\n" + Persona("quitter", "return Verdicts.Allow(1, \"ok\");");

        var refused = await _loader.LoadPersonaAsync("/pack/personas/quitter.csx", "personas/quitter.csx", text, CancellationToken.None);
        var next = await LoadAsync("fine", Persona("fine", "return Verdicts.Allow(1, \"still here\");"));

        var error = Assert.Single(refused.Errors);
        Assert.Equal((1, 1), (error.Line, error.Column)); // where `Environment.Exit` starts
        Assert.StartsWith("`Environment.Exit` is not allowed in a script persona: it would end the governance server", error.Message);
        Assert.Equal("still here", (await next.EvaluateAsync(Bash, CancellationToken.None)).Guidance);
    }

    [Fact]
    public async Task Load_TopLevelSpin_StoppedAtTheRunTimeoutAndCpuIdleAfterwards()
    {
        var text = "while (true) { }\n" + Persona("spinner", "return Verdicts.Allow(1, \"ok\");");

        var result = await _loader.LoadPersonaAsync("/pack/personas/spinner.csx", "personas/spinner.csx", text, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(result.Persona);
        Assert.Contains("did not finish within 1 s", Assert.Single(result.Errors).Message);
        await AssertCpuBecomesIdleAsync();
    }

    [Fact]
    public async Task Load_TopLevelAwaitingALongDelay_TimedOut()
    {
        var text = "await Task.Delay(60000);\n" + Persona("sleeper", "return Verdicts.Allow(1, \"ok\");", prologue: "");

        var result = await _loader.LoadPersonaAsync("/pack/personas/sleeper.csx", "personas/sleeper.csx", "using System.Threading.Tasks;\n" + text,
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(result.Persona);
        Assert.Contains("did not finish within 1 s", Assert.Single(result.Errors).Message);
    }
}
