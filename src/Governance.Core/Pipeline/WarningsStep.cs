using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Rules;

namespace Governance.Core.Pipeline;

/// <summary>
/// The last step: gathers the warnings, guidance and recommendations of personas, rules, check plugins and faults
/// around the aggregated verdict and builds the decision.
/// </summary>
public sealed class WarningsStep(TimeProvider time) : IDecisionStep
{
    private const int MaxRecommendations = 12;

    public string Name => "warnings";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        var policy = context.Policy;
        var aggregated = context.Aggregation ?? throw new InvalidOperationException("warnings reached before aggregation");
        var warnings = context.Warnings;
        var guidance = new Dictionary<string, PersonaGuidance>(context.PersonaOutcomes.Count, StringComparer.Ordinal);
        var recommendations = new List<string>();

        // Voices that carried the verdict speak first.
        foreach (var outcome in context.PersonaOutcomes)
        {
            if (outcome.Verdict is { } v && v.Verdict == aggregated.Verdict && aggregated.Verdict != Verdict.Allow)
            {
                AddRecommendations(recommendations, v);
            }
        }
        foreach (var rule in context.RuleOutcomes)
        {
            warnings.Add(new GovernanceWarning(rule.Id, rule.Severity, rule.Message, "rule"));
            if (!string.IsNullOrWhiteSpace(rule.Recommendation))
            {
                AddDistinct(recommendations, rule.Recommendation);
            }
        }
        foreach (var outcome in context.PersonaOutcomes)
        {
            var id = outcome.Persona.Id;
            if (outcome.Verdict is { } verdict)
            {
                guidance[id] = new PersonaGuidance
                {
                    Verdict = verdict.Verdict.ToWire(),
                    Confidence = Math.Round(verdict.Confidence, 4),
                    Guidance = verdict.Guidance,
                    Rationale = verdict.Rationale,
                    Checks = verdict.MatchedChecks,
                    Source = outcome.Persona.Source,
                    ElapsedMs = Math.Round(outcome.ElapsedMs, 3),
                };
                warnings.AddRange(verdict.Warnings);
                AddRecommendations(recommendations, verdict);
            }
            else
            {
                var status = outcome.Status == PersonaStatus.TimedOut ? "timed_out" : "failed";
                guidance[id] = new PersonaGuidance
                {
                    Verdict = null,
                    Status = status,
                    Rationale = outcome.Error ?? "",
                    Source = outcome.Persona.Source,
                    ElapsedMs = Math.Round(outcome.ElapsedMs, 3),
                };
                warnings.Add(new GovernanceWarning($"persona-{status.Replace('_', '-')}", Severity.Medium,
                    $"Persona {id} {status.Replace('_', ' ')}: {outcome.Error}. The decision was made without it.", id));
            }
        }
        warnings.AddRange(aggregated.Warnings);
        warnings.Sort(static (a, b) => b.Severity.CompareTo(a.Severity));

        var operation = context.Operation!;
        context.Decision = new Decision
        {
            DecisionId = context.DecisionId,
            CorrelationId = context.CorrelationId,
            SessionId = context.SessionId,
            Operation = operation.Name,
            Kind = operation.Kind,
            Verdict = aggregated.Verdict,
            Confidence = Math.Round(aggregated.Confidence, 4),
            Summary = Summarize(aggregated, context.PersonaOutcomes.Count),
            PersonaGuidance = guidance,
            Recommendations = recommendations.Count > MaxRecommendations ? recommendations[..MaxRecommendations] : recommendations,
            Warnings = warnings,
            Facts = operation.Facts,
            RulesFired = context.RuleOutcomes.ConvertAll(static r => r.Id),
            PolicyRevision = policy.Revision,
            Cached = false,
            ElapsedMs = Math.Round(time.GetElapsedTime(context.StartTimestamp).TotalMilliseconds, 3),
            Timestamp = context.ReceivedAt,
        };
        return await next(context);
    }

    private static string Summarize(AggregatedVerdict aggregated, int consulted)
    {
        var verdict = aggregated.Verdict.ToWire();
        if (aggregated.DecidedBy.Count > 0)
        {
            return $"{verdict} ({string.Join(", ", aggregated.DecidedBy)}): {aggregated.Reason}";
        }
        return aggregated.Reason.Length > 0
            ? $"{verdict}: {aggregated.Reason}"
            : $"{verdict}: {consulted} persona(s) consulted, none objected.";
    }

    private static void AddRecommendations(List<string> into, PersonaVerdict verdict)
    {
        foreach (var recommendation in verdict.Recommendations)
        {
            AddDistinct(into, recommendation);
        }
    }

    private static void AddDistinct(List<string> into, string text)
    {
        if (!into.Contains(text, StringComparer.Ordinal))
        {
            into.Add(text);
        }
    }
}
