namespace Governance.Abstractions.Personas;

/// <summary>Who a persona is: identity, expertise and how much its voice counts.</summary>
public sealed record PersonaDescriptor
{
    /// <summary>kebab-case id, equal to the file name for YAML and script personas.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Expertise { get; init; } = "";
    public string Description { get; init; } = "";
    public double Weight { get; init; } = 1.0;
    /// <summary>
    /// true for code an author wrote (script personas): it runs under a wall-clock deadline. Built-in and YAML personas
    /// are bounded by their input (linear-time patterns over capped fields) and are never timed, so their verdict
    /// does not depend on how busy the machine is.
    /// </summary>
    public bool Timed { get; init; }
    /// <summary>Deadline of a <see cref="Timed"/> persona; null means the configured default.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>builtin, yaml or script: for reports only, the pipeline does not look at it.</summary>
    public string Source { get; init; } = "builtin";
    /// <summary>Where it came from: a file path or a type name.</summary>
    public string Origin { get; init; } = "";
    /// <summary>Operation kinds it triggers on; empty means every kind.</summary>
    public IReadOnlyList<string> TriggerKinds { get; init; } = [];
}
