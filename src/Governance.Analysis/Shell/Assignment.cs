namespace Governance.Analysis.Shell;

/// <summary>
/// <c>name=value</c>, <c>name+=value</c>, <c>name[index]=value</c> or <c>name=(elements)</c>. <see cref="Value"/> is null for an
/// array assignment, whose elements are in <see cref="Elements"/>.
/// </summary>
public sealed record Assignment(string Name, Word? Index, bool Append, Word? Value, IReadOnlyList<ArrayElement>? Elements) : ShellNode;
