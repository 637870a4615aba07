using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;

namespace Governance.Core.Pipeline;

/// <summary>
/// The decision pipeline, folded once into one delegate. This list is the whole flow:
/// <code>
///   persist ( validate → cache → analysis → enrichment → persona-fan-out → plugin-checks → rule-evaluation
///             → aggregation → warnings )
/// </code>
/// Persist wraps the rest, so every answer is recorded once: a rejection from validate and a hit from cache end the
/// request there by answering without calling <c>next</c>, and persist still records what they answered.
/// </summary>
public sealed class DecisionPipeline
{
    public static IReadOnlyList<string> Order { get; } =
    [
        "persist",
        "validate",
        "cache",
        "analysis",
        "enrichment",
        "persona-fan-out",
        "plugin-checks",
        "rule-evaluation",
        "aggregation",
        "warnings",
    ];

    private readonly DecisionDelegate _entry;

    public DecisionPipeline(IEnumerable<IDecisionStep> steps)
    {
        var byName = steps.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var unknown = byName.Keys.Except(Order).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Steps not in DecisionPipeline.Order: {string.Join(", ", unknown)}");
        }
        var missing = Order.Where(n => !byName.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Pipeline steps not registered: {string.Join(", ", missing)}");
        }
        Steps = Order.Select(n => byName[n]).ToArray();

        DecisionDelegate next = static context =>
            ValueTask.FromResult(context.Decision ?? throw new InvalidOperationException("The pipeline ended without a decision."));
        for (var i = Steps.Count - 1; i >= 0; i--)
        {
            next = Link(Steps[i], next);
        }
        _entry = next;
    }

    /// <summary>The steps in the order they run.</summary>
    public IReadOnlyList<IDecisionStep> Steps { get; }

    public ValueTask<Decision> RunAsync(DecisionContext context) => _entry(context);

    private static DecisionDelegate Link(IDecisionStep step, DecisionDelegate next) => context => step.InvokeAsync(context, next);
}
