using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Personas;

/// <summary>What a persona answers about one operation.</summary>
public sealed record PersonaVerdict
{
    public required Verdict Verdict { get; init; }
    /// <summary>0..1: how sure the persona is of its verdict.</summary>
    public required double Confidence { get; init; }
    public string Guidance { get; init; } = "";
    public string Rationale { get; init; } = "";
    public IReadOnlyList<string> Recommendations { get; init; } = [];
    public IReadOnlyList<GovernanceWarning> Warnings { get; init; } = [];
    /// <summary>Ids of the checks that matched, for explanations.</summary>
    public IReadOnlyList<string> MatchedChecks { get; init; } = [];
}
