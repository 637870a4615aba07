using Governance.Analysis.Shell;

namespace Governance.Analysis.Evaluation;

/// <summary>
/// What evaluating a script found: the commands it runs, the reasons some of it stayed unreadable (a value known only at
/// run time that is executed, a budget reached, look-alike command names), and the syntax error when it did not parse.
/// </summary>
public sealed record ShellEvaluation(IReadOnlyList<EvaluatedCommand> Commands, IReadOnlyList<string> OpaqueReasons, ShellSyntaxError? SyntaxError)
{
    /// <summary>True when anything could not be read: governance must not allow what it could not review.</summary>
    public bool IsOpaque => SyntaxError is not null || OpaqueReasons.Count > 0;
}
