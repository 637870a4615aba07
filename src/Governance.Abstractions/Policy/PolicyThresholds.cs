namespace Governance.Abstractions.Policy;

/// <summary>The numbers the aggregation rule uses (governance section of the configuration).</summary>
public sealed record PolicyThresholds
{
    /// <summary>An allow whose overall confidence is below this becomes ask.</summary>
    public double ComplianceLevel { get; init; } = 0.95;
    /// <summary>A persona deny at or above this confidence decides the verdict; below it, it counts as ask.</summary>
    public double DenyConfidence { get; init; } = 0.8;
    /// <summary>A persona ask below this confidence is advisory: a warning, not a verdict.</summary>
    public double AskConfidence { get; init; } = 0.5;
    /// <summary>enforce, or advisory (deny is softened to ask).</summary>
    public string Mode { get; init; } = "enforce";
    public TimeSpan PersonaTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
