namespace Governance.Analysis.Shell;

/// <summary>
/// <c>$name</c> (<see cref="Braced"/> false) or <c>${…}</c>: the parameter, an optional index, <c>${#name}</c> (length),
/// <c>${!name}</c> (indirection), and an operator with its argument word (<c>:-</c>, <c>##</c>, <c>/</c>, <c>^^</c>, <c>:</c>, <c>@</c>, …).
/// </summary>
public sealed record ParameterExpansionPart(string Name, bool Braced, bool Length, bool Indirect, Word? Index, string? Operator, Word? Argument) : WordPart;
