namespace Governance.Abstractions.Personas;

/// <summary>A persona's consultation in one decision: its verdict, or why there is none.</summary>
public sealed record PersonaOutcome(
    PersonaDescriptor Persona,
    PersonaStatus Status,
    PersonaVerdict? Verdict,
    string? Error,
    double ElapsedMs);
