using BenchmarkDotNet.Attributes;
using Governance.Abstractions.Decisions;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Paths;
using Governance.TestKit;

namespace Governance.Benchmarks;

/// <summary>
/// The operation analysis alone (parse, symbolic evaluation, wrappers, effects, classified paths): a typical agent command
/// of under 200 characters, 2 KB and 8 KB compound commands (cost should be linear), and two hostile inputs — a 1 MB command
/// (analysed up to its 64 KB bound) and 10,000 nested substitutions — whose cost must stay bounded.
/// </summary>
[MemoryDiagnoser]
public class AnalysisBenchmarks
{
    private AnalysisScope _scope = null!;
    private Operation _typical = null!;
    private Operation _compound2K = null!;
    private Operation _compound8K = null!;
    private Operation _oneMegabyte = null!;
    private Operation _deepNesting = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scope = AnalysisScope.Create("/home/dev/project", "", new Abstractions.Policy.AnalysisSettings(), RepoPaths.Root);
        _typical = Bash("cd src && FOO=1 npm run build 2>&1 | tee build.log && git add -A && git commit -m \"build: bump deps\"");
        _compound2K = Bash(Compound(2048));
        _compound8K = Bash(Compound(8192));
        _oneMegabyte = Bash("echo " + new string('a', 1024 * 1024));
        _deepNesting = Bash("echo " + string.Concat(Enumerable.Repeat("$(", 10_000)) + "ls" + new string(')', 10_000));
    }

    [Benchmark(Baseline = true)]
    public Abstractions.Analysis.OperationAnalysis Typical() => OperationAnalyzer.Analyze(_typical, _scope);

    [Benchmark]
    public Abstractions.Analysis.OperationAnalysis Compound2KB() => OperationAnalyzer.Analyze(_compound2K, _scope);

    [Benchmark]
    public Abstractions.Analysis.OperationAnalysis Compound8KB() => OperationAnalyzer.Analyze(_compound8K, _scope);

    [Benchmark]
    public Abstractions.Analysis.OperationAnalysis Hostile1MB() => OperationAnalyzer.Analyze(_oneMegabyte, _scope);

    [Benchmark]
    public Abstractions.Analysis.OperationAnalysis Hostile10kNested() => OperationAnalyzer.Analyze(_deepNesting, _scope);

    private static Operation Bash(string command) =>
        new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command, Cwd = "/home/dev/project" };

    private static string Compound(int length)
    {
        var parts = new List<string>();
        while (string.Join(" && ", parts).Length < length)
        {
            parts.Add("cd src && FOO=1 timeout 5 env X=2 make -j4 build 2>&1 | tee build.log; git add -A && git commit -m \"wip: $(date +%s)\" || echo 'nothing to commit'");
        }
        return string.Join(" && ", parts)[..length];
    }
}
