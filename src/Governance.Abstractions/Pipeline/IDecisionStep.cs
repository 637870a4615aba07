using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Pipeline;

/// <summary>One stage of the decision pipeline (validate, cache, persona fan-out, rules, warnings, persist).</summary>
public interface IDecisionStep
{
    /// <summary>Stable kebab-case name, used in the order test and in traces.</summary>
    string Name { get; }

    /// <summary>
    /// True for steps that must see every request, including those already settled by an earlier step
    /// (a validation rejection or a cache hit). Evaluation steps are skipped for settled requests.
    /// </summary>
    bool SeesSettledRequests => false;

    ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next);
}
