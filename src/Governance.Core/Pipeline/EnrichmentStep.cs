using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Plugins;

namespace Governance.Core.Pipeline;

/// <summary>Runs the policy's context-enricher plugins, so personas and rules see the facts they add.</summary>
public sealed class EnrichmentStep(PluginRunner plugins) : IDecisionStep
{
    public string Name => "enrichment";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        await plugins.EnrichAsync(context);
        return await next(context);
    }
}
