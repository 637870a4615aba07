namespace Governance.Abstractions.Decisions;

/// <summary>The panel's combined answer: one verdict, its confidence, the voices that carried it and why.</summary>
public sealed record AggregatedVerdict(
    Verdict Verdict,
    double Confidence,
    IReadOnlyList<string> DecidedBy,
    string Reason,
    IReadOnlyList<GovernanceWarning> Warnings);
