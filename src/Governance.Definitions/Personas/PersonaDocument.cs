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
    /// <summary>Paths that never make the persona speak, even when another trigger matches.</summary>
    public List<string>? NotPaths { get; set; }
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
    // <key>_except: checked against each match of <key>; the key holds when some match is not excepted. This is how
    // an author writes what a negative lookahead used to say (policy regexes run in linear time, without lookarounds).
    public string? CommandExcept { get; set; }
    public string? PathExcept { get; set; }
    public string? ContentExcept { get; set; }
    public string? UrlExcept { get; set; }
    /// <summary>An effect kind of the operation analysis (regex over the whole kind, e.g. "delete" or "git-(push|discard)").</summary>
    public string? Effect { get; set; }
    /// <summary>Flags that same effect must all carry (recursive, force, protected, ...).</summary>
    public List<string>? Flags { get; set; }
    public List<string>? NotFlags { get; set; }
    /// <summary>Path classes: at least one target of that effect must have one of them.</summary>
    public List<string>? Target { get; set; }
    /// <summary>Path classes none of that effect's targets may have.</summary>
    public List<string>? NotTarget { get; set; }
    /// <summary>Regex over that effect's detail (branch, statement, host, ...).</summary>
    public string? Detail { get; set; }
    /// <summary>Regex over each executed command ("name arg1 arg2", wrappers peeled); data such as grep patterns never matches.</summary>
    public string? Executes { get; set; }
    public string? NotExecutes { get; set; }
    public string? ExecutesExcept { get; set; }
    /// <summary>Regex over the inline code of executed commands (python -c, heredocs, SQL fed to a client).</summary>
    public string? Code { get; set; }
    public string? CodeExcept { get; set; }
    /// <summary>true: the command has parts the analysis could not see.</summary>
    public bool? Opaque { get; set; }
    /// <summary>Fact name (added by enricher plugins) → regex its value must match.</summary>
    public Dictionary<string, string>? Facts { get; set; }
}
