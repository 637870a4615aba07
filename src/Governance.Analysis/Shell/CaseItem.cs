namespace Governance.Analysis.Shell;

/// <summary>One arm of a <c>case</c>: its patterns, its body and how it ends (<c>;;</c>, <c>;&amp;</c>, <c>;;&amp;</c> or nothing).</summary>
public sealed record CaseItem(IReadOnlyList<Word> Patterns, CommandList Body, string Terminator) : ShellNode;
