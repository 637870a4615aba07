namespace Governance.Analysis.Shell;

/// <summary>Pipelines joined by <c>&amp;&amp;</c> and <c>||</c>; <see cref="Operators"/> has one entry fewer than <see cref="Pipelines"/>.</summary>
public sealed record AndOrList(IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<AndOrOperator> Operators) : ShellNode;
