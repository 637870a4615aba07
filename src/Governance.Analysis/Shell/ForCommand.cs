namespace Governance.Analysis.Shell;

/// <summary>
/// <c>for name [in words]; do … done</c>, or <c>select</c> (<see cref="Select"/>). <see cref="Items"/> is null when there is
/// no <c>in</c>: the loop then runs over the positional parameters.
/// </summary>
public sealed record ForCommand(string Variable, IReadOnlyList<Word>? Items, CommandList Body, bool Select) : ShellCommand;
