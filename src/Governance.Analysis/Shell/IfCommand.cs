namespace Governance.Analysis.Shell;

/// <summary><c>if … then … [elif … then …] [else …] fi</c>.</summary>
public sealed record IfCommand(IReadOnlyList<IfBranch> Branches, CommandList? Else) : ShellCommand;
