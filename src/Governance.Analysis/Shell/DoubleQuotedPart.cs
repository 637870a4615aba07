namespace Governance.Analysis.Shell;

/// <summary><c>"…"</c> (or <c>$"…"</c>): literal text and the expansions inside.</summary>
public sealed record DoubleQuotedPart(IReadOnlyList<WordPart> Parts) : WordPart;
