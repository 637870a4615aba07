using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Governance.Abstractions.Decisions;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Paths;
using Governance.Core;
using Governance.Core.Personas;
using Governance.Definitions.Loading;
using Governance.Scripting;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Benchmarks;

/// <summary>
/// The hot path with the shipped pack: the shell analyser and the whole operation analysis on a 2 KB compound command, and a whole decision
/// uncached (every persona, plugin and rule runs) and cached. Persistence is batched, as by default.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private PipelineHarness _harness = null!;
    private JsonElement _benign;
    private string _compound = "";
    private Operation _compoundOperation = null!;
    private AnalysisScope _scope = null!;
    private int _counter;

    [GlobalSetup]
    public async Task Setup()
    {
        var loader = new PolicyLoader([new CoreSafetyPersona()], TimeProvider.System, NullLogger<PolicyLoader>.Instance,
            new RoslynScriptLoader(NullLogger<RoslynScriptLoader>.Instance));
        var snapshot = await loader.LoadAsync(new PolicySource { Root = RepoPaths.Root }, CancellationToken.None);
        _harness = new PipelineHarness(snapshot.Personas, snapshot.Rules, snapshot.Thresholds,
            enrichers: snapshot.Enrichers, checks: snapshot.Checks, durability: "batched");
        _benign = PipelineHarness.ToElement(new { command = "git status && dotnet test --no-build", cwd = "/home/dev/project" });
        var parts = new List<string>();
        while (string.Join(" && ", parts).Length < 2048)
        {
            parts.Add("cd src && FOO=1 timeout 5 env X=2 make -j4 build 2>&1 | tee build.log; git add -A && git commit -m \"wip: $(date +%s)\" || echo 'nothing to commit'");
        }
        _compound = string.Join(" && ", parts)[..2048];
        _compoundOperation = new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = _compound, Cwd = "/home/dev/project" };
        _scope = AnalysisScope.Create("/home/dev/project", "", new Abstractions.Policy.AnalysisSettings(), RepoPaths.Root);
    }

    [GlobalCleanup]
    public void Cleanup() => _harness.Dispose();

    [Benchmark]
    public ShellAnalysis AnalyseCompoundCommand2KB() => ShellCommandAnalyzer.Analyze(_compound);

    /// <summary>The whole operation analysis on the same command: shell analysis plus effects and classified paths.</summary>
    [Benchmark]
    public Abstractions.Analysis.OperationAnalysis AnalyseOperation2KB() => OperationAnalyzer.Analyze(_compoundOperation, _scope);

    [Benchmark]
    public async Task<Verdict> DecideUncachedBenign()
    {
        // A distinct context per call defeats the cache: every persona, plugin and rule runs.
        var context = PipelineHarness.ToElement($$"""{"command":"git status && dotnet test --no-build","cwd":"/home/dev/project","n":{{Interlocked.Increment(ref _counter)}}}""");
        var decision = await _harness.Engine.DecideAsync(new GovernanceRequest("Bash", context, "bench"), CancellationToken.None);
        return decision.Verdict;
    }

    [Benchmark]
    public async Task<Verdict> DecideUncachedDangerous()
    {
        var context = PipelineHarness.ToElement($$"""{"command":"FOO=1 sudo bash -c 'rm -rf ~'","cwd":"/home/dev/project","n":{{Interlocked.Increment(ref _counter)}}}""");
        var decision = await _harness.Engine.DecideAsync(new GovernanceRequest("Bash", context, "bench"), CancellationToken.None);
        return decision.Verdict;
    }

    [Benchmark(Baseline = true)]
    public async Task<Verdict> DecideCached()
    {
        var decision = await _harness.Engine.DecideAsync(new GovernanceRequest("Bash", _benign, "bench"), CancellationToken.None);
        return decision.Verdict;
    }
}
