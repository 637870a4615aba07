namespace Governance.Abstractions.Rules;

/// <summary>What rules see of the persona panel (input <c>personas</c> in rule expressions).</summary>
public sealed class PersonaPanelSummary
{
    public int ConsultedCount { get; init; }
    public int AllowCount { get; init; }
    public int AskCount { get; init; }
    public int DenyCount { get; init; }
    public int FailedCount { get; init; }
    public double MaxDenyConfidence { get; init; }
    public double MinConfidence { get; init; }
    /// <summary>Persona id → "allow" / "ask" / "deny" / "failed" / "timed_out".</summary>
    public Dictionary<string, string> Verdicts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>True when the persona answered with that verdict ("allow", "ask", "deny").</summary>
    public bool Said(string personaId, string verdict) =>
        Verdicts.TryGetValue(personaId, out var v) && string.Equals(v, verdict, StringComparison.OrdinalIgnoreCase);
}
