namespace Governance.Analysis.Shell;

/// <summary><c>$( list )</c> or <c>`list`</c> (<see cref="Backquoted"/>): the output of the list becomes text.</summary>
public sealed record CommandSubstitutionPart(CommandList Body, bool Backquoted) : WordPart;
