using Governance.Abstractions.Policy;

namespace Governance.Definitions.Loading;

/// <summary>Where the policy pack lives and the thresholds it runs with.</summary>
public sealed record PolicySource
{
    /// <summary>The folder that holds personas/, rules/ and plugins/.</summary>
    public required string Root { get; init; }
    public string PersonasDirectory { get; init; } = "personas";
    public string RulesDirectory { get; init; } = "rules";
    public string PluginsDirectory { get; init; } = "plugins";
    public PolicyThresholds Thresholds { get; init; } = new();
    public AnalysisSettings Analysis { get; init; } = new();
    /// <summary>What C# scripts may do beyond judging (governance.scripts.allow): file_io, network.</summary>
    public ScriptCapabilities ScriptCapabilities { get; init; }

    public string PersonasPath => Path.GetFullPath(Path.Combine(Root, PersonasDirectory));
    public string RulesPath => Path.GetFullPath(Path.Combine(Root, RulesDirectory));
    public string PluginsPath => Path.GetFullPath(Path.Combine(Root, PluginsDirectory));
}
