using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Aggregation;

namespace Governance.Core.Pipeline;

/// <summary>
/// Combines the personas' verdicts, the rules that fired and the request's input flaws into one verdict with its
/// confidence, by the aggregation rule written in the README.
/// </summary>
public sealed class AggregationStep : IDecisionStep
{
    public string Name => "aggregation";

    public ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        context.Aggregation = DecisionAggregator.Aggregate(context.PersonaOutcomes, context.RuleOutcomes, context.Policy.Thresholds, context.InputFlaws);
        return next(context);
    }
}
