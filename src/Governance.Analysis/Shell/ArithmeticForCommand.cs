namespace Governance.Analysis.Shell;

/// <summary><c>for (( init; condition; step )); do … done</c>.</summary>
public sealed record ArithmeticForCommand(ArithmeticExpansionPart Initializer, ArithmeticExpansionPart Condition, ArithmeticExpansionPart Step,
    CommandList Body) : ShellCommand;
