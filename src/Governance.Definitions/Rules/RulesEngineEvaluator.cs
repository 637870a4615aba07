using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;
using RulesEngine.Models;

namespace Governance.Definitions.Rules;

/// <summary>
/// Runs the loaded RulesEngine workflows, each on the engine that compiled it when its file was checked. Engines
/// are built once per policy snapshot and never mutated: a reload builds new ones (RulesEngine recompiles on
/// change, so swapping is the safe way).
/// </summary>
internal sealed class RulesEngineEvaluator(
    IReadOnlyList<(RulesEngine.RulesEngine Engine, string Workflow)> workflows,
    IReadOnlyDictionary<(string Workflow, string Rule), CompiledRule> rules,
    IReadOnlyList<RuleDescriptor> descriptors) : IRuleEvaluator
{
    public IReadOnlyList<RuleDescriptor> Rules => descriptors;

    /// <summary>What a rule expression can name: operation, analysis (operation.Analysis) and personas.</summary>
    internal static RuleParameter[] Parameters(Operation operation, PersonaPanelSummary personas) =>
        [new RuleParameter("operation", operation), new RuleParameter("analysis", operation.Analysis), new RuleParameter("personas", personas)];

    public async ValueTask<IReadOnlyList<RuleOutcome>> EvaluateAsync(Operation operation, PersonaPanelSummary personas, CancellationToken cancellationToken)
    {
        if (workflows.Count == 0)
        {
            return [];
        }
        var parameters = Parameters(operation, personas);
        List<RuleOutcome>? fired = null;
        foreach (var (engine, workflow) in workflows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = await engine.ExecuteAllRulesAsync(workflow, parameters, cancellationToken);
            foreach (var result in results)
            {
                if (!rules.TryGetValue((workflow, result.Rule.RuleName), out var rule))
                {
                    continue;
                }
                if (result.IsSuccess)
                {
                    (fired ??= []).Add(new RuleOutcome(workflow, rule.Rule, rule.Effect, rule.Severity, rule.Message, rule.Recommendation));
                }
                else if (!string.IsNullOrEmpty(result.ExceptionMessage))
                {
                    (fired ??= []).Add(new RuleOutcome(workflow, rule.Rule, RuleEffect.Warn, Severity.Low,
                        $"Rule {workflow}/{rule.Rule} could not be evaluated: {result.ExceptionMessage}", null));
                }
            }
        }
        return fired ?? (IReadOnlyList<RuleOutcome>)[];
    }
}
