namespace Governance.Scripting;

/// <summary>When a script persona is consulted; the same rules as YAML triggers (docs/authoring.md).</summary>
public sealed class ScriptTriggers
{
    /// <summary>Operation kinds; empty means every kind.</summary>
    public IReadOnlyList<string> Operations { get; init; } = [];
    /// <summary>.NET regexes on the command.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
    /// <summary>.NET regexes on the file path.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
    /// <summary>.NET regexes on the URL.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];
}
