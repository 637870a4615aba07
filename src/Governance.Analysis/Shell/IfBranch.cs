namespace Governance.Analysis.Shell;

/// <summary>One <c>if</c>/<c>elif</c> condition and the body it guards.</summary>
public sealed record IfBranch(CommandList Condition, CommandList Body) : ShellNode;
