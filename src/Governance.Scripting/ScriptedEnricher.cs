using Governance.Abstractions.Decisions;
using Governance.Abstractions.Plugins;

namespace Governance.Scripting;

/// <summary>A plugin script's Enrich function behind the enricher contract.</summary>
internal sealed class ScriptedEnricher(PluginDescriptor descriptor, Func<Operation, CancellationToken, IReadOnlyDictionary<string, string>> enrich,
    ScriptLimits limits) : IContextEnricher
{
    public PluginDescriptor Descriptor { get; } = descriptor;

    public IReadOnlyDictionary<string, string> Enrich(Operation operation, CancellationToken cancellationToken)
    {
        using var run = ScriptBudget.Enter($"plugin {Descriptor.Id}", limits.MemoryPerRun, cancellationToken);
        var facts = enrich(operation, cancellationToken);
        run.ThrowIfExceeded();
        return facts ?? new Dictionary<string, string>();
    }
}
