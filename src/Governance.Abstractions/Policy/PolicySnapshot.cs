using Governance.Abstractions.Personas;
using Governance.Abstractions.Plugins;
using Governance.Abstractions.Rules;

namespace Governance.Abstractions.Policy;

/// <summary>
/// The whole loaded policy at one revision: personas, rules, thresholds. Immutable; a reload builds a new one
/// and swaps the reference, so a request finishes on the snapshot it started with.
/// </summary>
public sealed class PolicySnapshot
{
    public required string Revision { get; init; }
    public required IReadOnlyList<IPersona> Personas { get; init; }
    public required IRuleEvaluator Rules { get; init; }
    public required PolicyThresholds Thresholds { get; init; }
    /// <summary>What operation analysis needs to know: protected branches, the fallback home directory.</summary>
    public AnalysisSettings Analysis { get; init; } = new();
    /// <summary>Plugins that add facts to the operation before personas run.</summary>
    public IReadOnlyList<IContextEnricher> Enrichers { get; init; } = [];
    /// <summary>Plugins that add warnings to decisions.</summary>
    public IReadOnlyList<IOperationCheck> Checks { get; init; } = [];
    /// <summary>Content hashes of the compiled scripts this snapshot uses (kept loaded while it is current).</summary>
    public IReadOnlyCollection<string> ScriptHashes { get; init; } = [];
    public IReadOnlyList<PolicyLoadError> LoadErrors { get; init; } = [];
    /// <summary>True when no configured persona loaded and the built-in personas serve alone.</summary>
    public bool CoreOnly { get; init; }
    public DateTimeOffset LoadedAt { get; init; }
    public string Root { get; init; } = "";
    public IReadOnlyList<string> Files { get; init; } = [];

    public IPersona? FindPersona(string id)
    {
        foreach (var persona in Personas)
        {
            if (string.Equals(persona.Descriptor.Id, id, StringComparison.Ordinal))
            {
                return persona;
            }
        }
        return null;
    }
}
