namespace Governance.Analysis.Shell;

/// <summary><c>$(( … ))</c> and the inside of <c>(( ))</c>: the expression's text with the expansions it contains.</summary>
public sealed record ArithmeticExpansionPart(IReadOnlyList<WordPart> Parts) : WordPart;
