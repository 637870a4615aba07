namespace Governance.Analysis.Shell;

/// <summary><c>{ list; }</c>: the body runs in the current shell.</summary>
public sealed record BraceGroup(CommandList Body) : ShellCommand;
