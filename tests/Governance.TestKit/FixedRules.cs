using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;

namespace Governance.TestKit;

/// <summary>A rule evaluator that fires the outcomes a test chooses (or throws, to test isolation).</summary>
public sealed class FixedRules(params RuleOutcome[] outcomes) : IRuleEvaluator
{
    public bool Throw { get; init; }
    public PersonaPanelSummary? LastPanel { get; private set; }

    public IReadOnlyList<RuleDescriptor> Rules => [];

    public ValueTask<IReadOnlyList<RuleOutcome>> EvaluateAsync(Operation operation, PersonaPanelSummary personas, CancellationToken cancellationToken)
    {
        LastPanel = personas;
        if (Throw)
        {
            throw new InvalidOperationException("rules exploded");
        }
        return ValueTask.FromResult<IReadOnlyList<RuleOutcome>>(outcomes);
    }
}
