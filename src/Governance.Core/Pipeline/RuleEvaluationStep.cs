using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Rules;
using Governance.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace Governance.Core.Pipeline;

/// <summary>
/// Evaluates the policy's rule workflows against the operation and the persona panel's answers. A rule engine
/// fault is recorded as a warning and the decision goes on without rules.
/// </summary>
public sealed class RuleEvaluationStep(GovernanceMetrics metrics, ILogger<RuleEvaluationStep> logger) : IDecisionStep
{
    public string Name => "rule-evaluation";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        var summary = Summarize(context.PersonaOutcomes);
        try
        {
            var fired = await context.Policy.Rules.EvaluateAsync(context.Operation!, summary, context.CancellationToken);
            context.RuleOutcomes.AddRange(fired);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            metrics.RuleEvaluationFailed();
            logger.LogError(ex, "Rule evaluation failed for {CorrelationId}", context.CorrelationId);
            context.Warnings.Add(new GovernanceWarning("rules-failed", Severity.High,
                $"Rules could not be evaluated ({ex.GetType().Name}); the decision rests on the personas alone.", "rules"));
        }
        return await next(context);
    }

    public static PersonaPanelSummary Summarize(IReadOnlyList<PersonaOutcome> outcomes)
    {
        int allow = 0, ask = 0, deny = 0, failed = 0;
        double maxDeny = 0, min = outcomes.Count == 0 ? 0 : 1;
        var verdicts = new Dictionary<string, string>(outcomes.Count, StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            if (outcome.Status != PersonaStatus.Ok || outcome.Verdict is not { } verdict)
            {
                failed++;
                verdicts[outcome.Persona.Id] = outcome.Status == PersonaStatus.TimedOut ? "timed_out" : "failed";
                continue;
            }
            verdicts[outcome.Persona.Id] = verdict.Verdict.ToWire();
            min = Math.Min(min, verdict.Confidence);
            switch (verdict.Verdict)
            {
                case Verdict.Allow: allow++; break;
                case Verdict.Ask: ask++; break;
                case Verdict.Deny: deny++; maxDeny = Math.Max(maxDeny, verdict.Confidence); break;
            }
        }
        return new PersonaPanelSummary
        {
            ConsultedCount = outcomes.Count,
            AllowCount = allow,
            AskCount = ask,
            DenyCount = deny,
            FailedCount = failed,
            MaxDenyConfidence = maxDeny,
            MinConfidence = min,
            Verdicts = verdicts,
        };
    }
}
