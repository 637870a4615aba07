namespace Governance.Analysis.Shell;

/// <summary><c>while</c> or <c>until</c> loop (<see cref="Until"/>): the condition, then the body.</summary>
public sealed record LoopCommand(bool Until, CommandList Condition, CommandList Body) : ShellCommand;
