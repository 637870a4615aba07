using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Plugins;

/// <summary>
/// A plugin that derives facts from the operation before personas run ("path is inside the workspace",
/// "push targets a protected branch"). Facts are added to <see cref="Operation.Facts"/>.
/// </summary>
public interface IContextEnricher
{
    PluginDescriptor Descriptor { get; }

    IReadOnlyDictionary<string, string> Enrich(Operation operation, CancellationToken cancellationToken);
}
