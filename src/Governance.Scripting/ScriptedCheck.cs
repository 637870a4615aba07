using Governance.Abstractions.Decisions;
using Governance.Abstractions.Plugins;

namespace Governance.Scripting;

/// <summary>A plugin script's Check function behind the check contract; warning codes get the plugin id as prefix.</summary>
internal sealed class ScriptedCheck(PluginDescriptor descriptor, Func<Operation, CancellationToken, IReadOnlyList<GovernanceWarning>> check,
    ScriptLimits limits) : IOperationCheck
{
    public PluginDescriptor Descriptor { get; } = descriptor;

    public IReadOnlyList<GovernanceWarning> Check(Operation operation, CancellationToken cancellationToken)
    {
        IReadOnlyList<GovernanceWarning> warnings;
        using (var run = ScriptBudget.Enter($"plugin {Descriptor.Id}", limits.MemoryPerRun, cancellationToken))
        {
            warnings = check(operation, cancellationToken);
            run.ThrowIfExceeded();
        }
        if (warnings is null || warnings.Count == 0)
        {
            return [];
        }
        return WarningOwnership.Claim(warnings, Descriptor.Id);
    }
}
