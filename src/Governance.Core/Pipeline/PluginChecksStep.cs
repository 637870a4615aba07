using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Plugins;

namespace Governance.Core.Pipeline;

/// <summary>Runs the policy's check plugins after the panel has spoken; their warnings join the decision.</summary>
public sealed class PluginChecksStep(PluginRunner plugins) : IDecisionStep
{
    public string Name => "plugin-checks";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        await plugins.CheckAsync(context);
        return await next(context);
    }
}
