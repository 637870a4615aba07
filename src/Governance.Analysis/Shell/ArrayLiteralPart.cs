namespace Governance.Analysis.Shell;

/// <summary>The <c>(elements)</c> of a declaration argument such as <c>declare -a name=(a b)</c>.</summary>
public sealed record ArrayLiteralPart(IReadOnlyList<ArrayElement> Elements) : WordPart;
