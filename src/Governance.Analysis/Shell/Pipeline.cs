namespace Governance.Analysis.Shell;

/// <summary>Commands joined by <c>|</c> or <c>|&amp;</c>, optionally negated with <c>!</c> or timed with <c>time</c>.</summary>
public sealed record Pipeline(IReadOnlyList<ShellCommand> Commands, bool Negated, bool Timed) : ShellNode;
