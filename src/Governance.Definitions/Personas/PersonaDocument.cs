namespace Governance.Definitions.Personas;

/// <summary>The YAML shape of a persona file (docs/authoring.md). Unknown keys are errors.</summary>
internal sealed class PersonaDocument
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Expertise { get; set; }
    public string? Description { get; set; }
    public double? Weight { get; set; }
    public int? TimeoutMs { get; set; }
    public TriggerDocument? Triggers { get; set; }
    public DefaultDocument? Default { get; set; }
    public List<CheckDocument>? Checks { get; set; }
}

internal sealed class TriggerDocument
{
    public List<string>? Operations { get; set; }
    public List<string>? Commands { get; set; }
    public List<string>? Paths { get; set; }
    public List<string>? Urls { get; set; }
}

internal sealed class DefaultDocument
{
    public string? Verdict { get; set; }
    public double? Confidence { get; set; }
    public string? Guidance { get; set; }
    public string? Rationale { get; set; }
}

internal sealed class CheckDocument
{
    public string? Id { get; set; }
    public string? Description { get; set; }
    public ConditionDocument? When { get; set; }
    public string? Verdict { get; set; }
    public double? Confidence { get; set; }
    public string? Severity { get; set; }
    public string? Guidance { get; set; }
    public string? Rationale { get; set; }
    public List<string>? Recommendations { get; set; }
}

internal sealed class ConditionDocument
{
    public List<string>? Operations { get; set; }
    public string? Command { get; set; }
    public string? Path { get; set; }
    public string? Content { get; set; }
    public string? Url { get; set; }
    public string? NotCommand { get; set; }
    public string? NotPath { get; set; }
    public string? NotContent { get; set; }
    public string? NotUrl { get; set; }
    /// <summary>Fact name (added by enricher plugins) → regex its value must match.</summary>
    public Dictionary<string, string>? Facts { get; set; }
}
