using Governance.Abstractions.Personas;
using Governance.Abstractions.Plugins;

namespace Governance.Abstractions.Policy;

/// <summary>What one script file yielded: a persona, plugin parts, or the errors that stopped it.</summary>
public sealed record ScriptLoadResult
{
    public required string ContentHash { get; init; }
    public IPersona? Persona { get; init; }
    public IContextEnricher? Enricher { get; init; }
    public IOperationCheck? Check { get; init; }
    public IReadOnlyList<PolicyLoadError> Errors { get; init; } = [];
}
