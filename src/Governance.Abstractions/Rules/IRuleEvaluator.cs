using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Rules;

/// <summary>Evaluates the loaded rule workflows against an operation and the persona panel's answers.</summary>
public interface IRuleEvaluator
{
    IReadOnlyList<RuleDescriptor> Rules { get; }

    ValueTask<IReadOnlyList<RuleOutcome>> EvaluateAsync(Operation operation, PersonaPanelSummary personas, CancellationToken cancellationToken);
}
