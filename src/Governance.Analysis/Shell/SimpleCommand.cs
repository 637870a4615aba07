namespace Governance.Analysis.Shell;

/// <summary>Assignments, then the command name and its arguments (<see cref="Words"/>); either may be empty.</summary>
public sealed record SimpleCommand(IReadOnlyList<Assignment> Assignments, IReadOnlyList<Word> Words) : ShellCommand;
