using Governance.Abstractions.Decisions;
using Governance.Core.Personas;
using Governance.Definitions.Loading;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

/// <summary>Reload builds a new snapshot from disk and swaps it atomically, or keeps the last good one.</summary>
public sealed class PolicyReloaderTests : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-reloader").WithShippedPack();
    private readonly RoslynScriptLoader _scripts = new(NullLogger<RoslynScriptLoader>.Instance);
    private readonly PipelineHarness _harness = new([new CoreSafetyPersona()]);
    private readonly PolicyReloader _reloader;

    public PolicyReloaderTests()
    {
        var loader = new PolicyLoader([new CoreSafetyPersona()], TimeProvider.System, NullLogger<PolicyLoader>.Instance, _scripts);
        _reloader = new PolicyReloader(loader, _harness.Policy, TimeProvider.System, NullLogger<PolicyReloader>.Instance, _scripts);
    }

    private PolicySource Source => new() { Root = _pack.Path };

    [Fact]
    public async Task Reload_BrokenFile_KeepsLastGoodSnapshotForEverything()
    {
        Assert.True(await _reloader.LoadInitialAsync(Source, CancellationToken.None));
        var good = _harness.Policy.Current;
        File.WriteAllText(_pack.Combine("personas", "extra.yaml"), "id: extra\nname: [unclosed\n");
        File.WriteAllText(_pack.Combine("personas", "another.csx"), Persona("another", "fine"));

        Assert.False(await _reloader.ReloadAsync(Source, CancellationToken.None));

        Assert.Same(good, _harness.Policy.Current);
        Assert.Null(_harness.Policy.Current.FindPersona("another")); // the good new file waits for the broken one
        Assert.Equal(1, _reloader.Status.FailedReloads);
        Assert.Contains(_reloader.Status.LastReloadErrors, e => e.File == "personas/extra.yaml" && e.Line > 0);
        Assert.Equal(good.ScriptHashes.Count, _scripts.LoadedScripts); // the refused snapshot's scripts are released
    }

    [Fact]
    public async Task Reload_Fixed_SwapsToNewRevisionAndReleasesOldScripts()
    {
        File.WriteAllText(_pack.Combine("personas", "tuner.csx"), Persona("tuner", "one"));
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);
        var before = _harness.Policy.Current;

        File.WriteAllText(_pack.Combine("personas", "tuner.csx"), Persona("tuner", "two"));
        Assert.True(await _reloader.ReloadAsync(Source, CancellationToken.None));

        var after = _harness.Policy.Current;
        Assert.NotEqual(before.Revision, after.Revision);
        var decision = await _harness.DecideAsync("Bash", new { command = "tune" }, onlyPersona: "tuner");
        Assert.Equal("two", decision.PersonaGuidance["tuner"].Guidance);
        Assert.Equal(after.ScriptHashes.Count, _scripts.LoadedScripts);
        Assert.Equal(1, _reloader.Status.Reloads);
    }

    [Fact]
    public async Task Reload_AllConfiguredPersonasRemoved_RefusedAndTheLastGoodPolicyServes()
    {
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);
        var good = _harness.Policy.Current;
        foreach (var file in Directory.EnumerateFiles(_pack.Combine("personas")))
        {
            File.Delete(file);
        }

        Assert.False(await _reloader.ReloadAsync(Source, CancellationToken.None));

        Assert.Same(good, _harness.Policy.Current);
        Assert.Contains(_reloader.Status.LastReloadErrors, e => e.Message.Contains("would load no persona", StringComparison.Ordinal));
        var decision = await _harness.DecideAsync("Bash", new { command = "git push --force origin main" });
        Assert.Equal(Verdict.Deny, decision.Verdict);
    }

    [Theory]
    [InlineData("file", (UnixFileMode)0b110_110_100, "writable by its group")]
    [InlineData("file", (UnixFileMode)0b110_100_110, "writable by other users")]
    [InlineData("folder", (UnixFileMode)0b111_111_111, "writable by")]
    public async Task Reload_FileOthersCouldHaveChanged_RefusedAndSaysHowToFixIt(string which, UnixFileMode mode, string problem)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix modes and owners; Windows ACLs are not checked
        }
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);
        var good = _harness.Policy.Current;
        var path = _pack.Combine("personas", "git-steward.yaml");
        File.AppendAllText(path, "\n# loosened\n");
        File.SetUnixFileMode(which == "file" ? path : _pack.Combine("personas"), mode);

        Assert.False(await _reloader.ReloadAsync(Source, CancellationToken.None));

        Assert.Same(good, _harness.Policy.Current);
        Assert.Contains(_reloader.Status.LastReloadErrors, e => e.File == "personas/git-steward.yaml" &&
            e.Message.Contains(problem, StringComparison.Ordinal) && e.Message.Contains("chmod go-w", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_UnderConcurrentDecisions_NoFailedOrTornDecisions()
    {
        File.WriteAllText(_pack.Combine("personas", "tuner.csx"), Persona("tuner", "v0"));
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var revisions = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var failures = 0;
        var decided = 0;

        var deciders = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var decision = await _harness.DecideAsync("Bash", new { command = $"tune {worker} {i++}" }, onlyPersona: "tuner");
                if (decision.Error is not null || decision.PersonaGuidance["tuner"].Status != "ok")
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }
                // A decision is never torn: its guidance comes from the snapshot whose revision it carries.
                Interlocked.Increment(ref decided);
                var guidance = decision.PersonaGuidance["tuner"].Guidance;
                var seen = revisions.GetOrAdd(decision.PolicyRevision, guidance);
                if (seen != guidance)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var version = 1; version <= 5; version++)
        {
            var before = Volatile.Read(ref decided);
            await WaitUntilAsync(() => Volatile.Read(ref decided) >= before + 20); // decisions are running while we swap
            File.WriteAllText(_pack.Combine("personas", "tuner.csx"), Persona("tuner", $"v{version}"));
            Assert.True(await _reloader.ReloadAsync(Source, CancellationToken.None));
        }
        await WaitUntilAsync(() => revisions.Count >= 6);
        await stop.CancelAsync();
        await Task.WhenAll(deciders).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, failures);
        Assert.True(revisions.Count >= 2, $"decisions saw {revisions.Count} revision(s)");
        Assert.Equal("v5", (await _harness.DecideAsync("Bash", new { command = "tune" }, onlyPersona: "tuner")).PersonaGuidance["tuner"].Guidance);
    }

    [Fact]
    public async Task Decide_HangingScriptPersona_TimesOutWithoutHoldingTheDecision()
    {
        var hanging = """
            return new PersonaScript
            {
                Id = "sleeper",
                Name = "Sleeper",
                TimeoutMs = 200,
                Triggers = new ScriptTriggers { Commands = [@"\bhang\b"] },
                Evaluate = (op, ct) => { while (true) { } },
            };
            """;
        var throwing = "return new PersonaScript { Id = \"thrower\", Name = \"Thrower\", Triggers = new ScriptTriggers { Commands = [\"hang\"] }, " +
                       "Evaluate = (op, ct) => throw new InvalidOperationException(\"script bug\") };";
        File.WriteAllText(_pack.Combine("personas", "sleeper.csx"), hanging);
        File.WriteAllText(_pack.Combine("personas", "thrower.csx"), throwing);
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);

        var decision = await _harness.DecideAsync("Bash", new { command = "hang on" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(_harness.Policy.Current.LoadErrors);
        Assert.Equal("timed_out", decision.PersonaGuidance["sleeper"].Status);
        Assert.Equal("failed", decision.PersonaGuidance["thrower"].Status);
        Assert.Contains("script bug", decision.PersonaGuidance["thrower"].Rationale);
        Assert.Null(decision.Error);
    }

    [Fact]
    public async Task LoadInitial_ScriptPersonaThatHangsOnTheWarmUpSample_IsKeptAndItsTimeoutBoundsEachDecision()
    {
        // Hangs on everything, the warm-up samples included: being slow is not a load error (a busy machine must not
        // change which personas load); the per-decision timeout is what contains it.
        File.WriteAllText(_pack.Combine("personas", "spinner.csx"), """
            return new PersonaScript
            {
                Id = "spinner",
                Name = "Spinner",
                TimeoutMs = 100,
                Triggers = new ScriptTriggers { Commands = [@"\w"] },
                Evaluate = (op, ct) => { while (true) { } },
            };
            """);
        await _reloader.LoadInitialAsync(Source, CancellationToken.None);

        Assert.Empty(_harness.Policy.Current.LoadErrors);
        Assert.Contains(_harness.Policy.Current.Personas, p => p.Descriptor.Id == "spinner");
        var decision = await _harness.DecideAsync("Bash", new { command = "ls" }).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("timed_out", decision.PersonaGuidance["spinner"].Status);
        Assert.NotEqual(Verdict.Allow, decision.Verdict);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for concurrent decisions");
            await Task.Delay(10);
        }
    }

    private static string Persona(string id, string guidance) => $$"""
        return new PersonaScript
        {
            Id = "{{id}}",
            Name = "Tuner",
            Triggers = new ScriptTriggers { Commands = [@"\btune\b"] },
            Evaluate = (op, ct) => Verdicts.Allow(0.99, "{{guidance}}"),
        };
        """;

    public void Dispose()
    {
        _reloader.Dispose();
        _harness.Dispose();
        _pack.Dispose();
    }
}
