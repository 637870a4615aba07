namespace Governance.Analysis.Shell;

/// <summary><c>[[ … ]]</c>: its operands and operators as words, in order.</summary>
public sealed record TestCommand(IReadOnlyList<Word> Words) : ShellCommand;
