namespace Governance.Analysis.Shell;

/// <summary>Text as the shell sees it after quote removal; <see cref="Quoted"/> when it came from a backslash escape.</summary>
public sealed record LiteralPart(string Text, bool Quoted = false) : WordPart;
