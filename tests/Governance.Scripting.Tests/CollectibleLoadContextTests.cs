using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Governance.Scripting.Tests;

public sealed class CollectibleLoadContextTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Retain_WithoutTheScript_UnloadsItsLoadContext()
    {
        var loader = new RoslynScriptLoader(NullLogger<RoslynScriptLoader>.Instance);
        var weak = await LoadAndForgetAsync(loader, "v1");

        loader.Retain([]);

        Assert.True(await CollectedAsync(weak), "the script's load context was not unloaded");
        Assert.Equal(0, loader.LoadedScripts);
    }

    [Fact]
    public async Task Retain_WithTheScript_KeepsItLoaded()
    {
        var loader = new RoslynScriptLoader(NullLogger<RoslynScriptLoader>.Instance);
        var result = await loader.LoadPersonaAsync("/p/personas/counter.csx", "personas/counter.csx", Script("kept"), CancellationToken.None);

        loader.Retain([result.ContentHash]);

        Assert.Equal(1, loader.LoadedScripts);
        var verdict = await result.Persona!.EvaluateAsync(ScriptLoaderTests.Bash("ls"), CancellationToken.None);
        Assert.Equal("kept", verdict.Guidance);
    }

    /// <summary>
    /// 500 reloads of a changed script: the number of live script load contexts and the managed heap stay flat.
    /// The figures go to the test output and docs/performance.md.
    /// </summary>
    [Fact]
    public async Task Reload500ChangedScripts_MemoryAndLoadContextsStayFlat()
    {
        var loader = new RoslynScriptLoader(NullLogger<RoslynScriptLoader>.Instance);
        await loader.WarmAsync(CancellationToken.None);
        // Settle: a first batch of reloads lets Roslyn fill its own caches before the baseline is taken.
        await ReloadAsync(loader, 0, 50);
        var (contextsBefore, heapBefore) = await MeasureAsync();

        await ReloadAsync(loader, 50, 500);
        var (contextsAfter, heapAfter) = await MeasureAsync();

        output.WriteLine($"script load contexts alive: {contextsBefore} → {contextsAfter}; managed heap after full GC: {heapBefore / 1048576.0:0.0} MB → {heapAfter / 1048576.0:0.0} MB over 500 reloads");
        Assert.InRange(contextsAfter, 0, contextsBefore + 5);
        Assert.True(heapAfter < heapBefore + 40 * 1048576, $"heap grew from {heapBefore} to {heapAfter} bytes");
    }

    private static async Task ReloadAsync(RoslynScriptLoader loader, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var result = await loader.LoadPersonaAsync("/p/personas/counter.csx", "personas/counter.csx", Script($"version {i}"), CancellationToken.None);
            Assert.Empty(result.Errors);
            loader.Retain([result.ContentHash]); // the new version replaces the old, as a reload does
        }
    }

    private static async Task<(int Contexts, long Heap)> MeasureAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }
        var contexts = AssemblyLoadContext.All.Count(c => c.Name?.StartsWith("script ", StringComparison.Ordinal) == true);
        return (contexts, GC.GetTotalMemory(forceFullCollection: true));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> LoadAndForgetAsync(RoslynScriptLoader loader, string guidance)
    {
        var result = await loader.LoadPersonaAsync("/p/personas/counter.csx", "personas/counter.csx", Script(guidance), CancellationToken.None);
        var context = AssemblyLoadContext.All.Single(c => c.Name == $"script personas/counter.csx {result.ContentHash[..8]}");
        Assert.True(context.IsCollectible);
        return new WeakReference(context);
    }

    private static async Task<bool> CollectedAsync(WeakReference weak)
    {
        for (var i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }
        return !weak.IsAlive;
    }

    private static string Script(string guidance) => $$"""
        return new PersonaScript
        {
            Id = "counter",
            Name = "Counter",
            Evaluate = (op, ct) => Verdicts.Allow(0.99, "{{guidance}}"),
        };
        """;
}
