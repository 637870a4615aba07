namespace Governance.Scripting.Tests;

/// <summary>
/// Tests that judge this process's CPU time (a stopped script leaves the CPU idle) run alone: beside other test classes of
/// the assembly the process is never quiet, whatever the script does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCpuCollection
{
    public const string Name = "process CPU measured";
}
