namespace Governance.Analysis.Shell;

/// <summary><c>( list )</c>: the body runs in a child shell.</summary>
public sealed record Subshell(CommandList Body) : ShellCommand;
