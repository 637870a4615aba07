namespace Governance.Analysis.Shell;

/// <summary><c>'text'</c>, or <c>$'text'</c> with its escapes decoded (<see cref="AnsiC"/>).</summary>
public sealed record SingleQuotedPart(string Text, bool AnsiC = false) : WordPart;
