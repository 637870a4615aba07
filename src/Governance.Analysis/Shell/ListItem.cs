namespace Governance.Analysis.Shell;

/// <summary>One entry of a command list; <see cref="Background"/> when it ended with <c>&amp;</c>.</summary>
public sealed record ListItem(AndOrList Command, bool Background) : ShellNode;
