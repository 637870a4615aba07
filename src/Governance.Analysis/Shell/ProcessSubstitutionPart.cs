namespace Governance.Analysis.Shell;

/// <summary><c>&lt;( list )</c> (<see cref="Output"/> false) or <c>&gt;( list )</c>: a path to the list's output or input.</summary>
public sealed record ProcessSubstitutionPart(CommandList Body, bool Output) : WordPart;
