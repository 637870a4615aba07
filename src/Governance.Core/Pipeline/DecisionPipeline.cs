using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;

namespace Governance.Core.Pipeline;

/// <summary>
/// The decision pipeline, folded once into one delegate. This list is the whole flow:
/// <code>
///   validate → cache → persona-fan-out → rule-evaluation → warnings → persist
/// </code>
/// A step settles a request early by setting <see cref="DecisionContext.Decision"/> (a validation rejection,
/// a cache hit); the evaluation steps after it are then skipped, but persist still sees it, so every request
/// leaves exactly one audit record.
/// </summary>
public sealed class DecisionPipeline
{
    public static IReadOnlyList<string> Order { get; } =
    [
        "validate",
        "cache",
        "persona-fan-out",
        "rule-evaluation",
        "warnings",
        "persist",
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

    private static DecisionDelegate Link(IDecisionStep step, DecisionDelegate next) =>
        step.SeesSettledRequests
            ? context => step.InvokeAsync(context, next)
            : context => context.IsSettled ? next(context) : step.InvokeAsync(context, next);
}
