namespace Governance.Analysis.Shell;

/// <summary>Commands run one after another (<c>;</c>, newline) or in the background (<c>&amp;</c>): a script, a body, a substitution.</summary>
public sealed record CommandList(IReadOnlyList<ListItem> Items) : ShellNode;
