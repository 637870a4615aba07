using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Plugins;

/// <summary>A plugin that adds warnings to a decision (it does not vote on the verdict).</summary>
public interface IOperationCheck
{
    PluginDescriptor Descriptor { get; }

    IReadOnlyList<GovernanceWarning> Check(Operation operation, CancellationToken cancellationToken);
}
