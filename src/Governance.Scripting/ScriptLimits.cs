namespace Governance.Scripting;

/// <summary>The budgets a script runs under besides the persona deadline: its top-level run at load, and memory.</summary>
public sealed record ScriptLimits
{
    /// <summary>How long a script's top level may take to build and return its definition.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes one evaluation (or the top-level run) may allocate before it is stopped.</summary>
    public long MemoryPerRun { get; init; } = 256L * 1024 * 1024;
}
