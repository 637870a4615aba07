using Governance.Abstractions.Decisions;

namespace Governance.Scripting;

/// <summary>
/// What a plugin script (<c>plugins/&lt;id&gt;.csx</c>) returns. A plugin is a context enricher (facts added to
/// the operation before personas run), an extra check (warnings added to the decision), or both.
/// </summary>
public sealed class PluginScript
{
    /// <summary>kebab-case, equal to the file name without .csx.</summary>
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>Derived facts, kebab-case names → text values. Personas match them with <c>when.facts</c>; rules read <c>operation.Facts["name"]</c>.</summary>
    public Func<Operation, CancellationToken, IReadOnlyDictionary<string, string>>? Enrich { get; init; }
    /// <summary>Warnings to add to the decision. Codes are prefixed with the plugin id.</summary>
    public Func<Operation, CancellationToken, IReadOnlyList<GovernanceWarning>>? Check { get; init; }
}
