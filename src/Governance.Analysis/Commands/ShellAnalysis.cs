namespace Governance.Analysis.Commands;

/// <summary>What a shell command line would execute, as far as static analysis can tell.</summary>
public sealed class ShellAnalysis
{
    public required IReadOnlyList<ExecutedCommand> Commands { get; init; }

    // Opaque means "something runs that we could not see": callers must not treat the command list as complete.
    public bool IsOpaque => OpaqueReasons.Count > 0;

    public required IReadOnlyList<string> OpaqueReasons { get; init; }

    public bool Truncated { get; init; }
}
