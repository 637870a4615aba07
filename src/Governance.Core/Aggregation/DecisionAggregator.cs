using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;

namespace Governance.Core.Aggregation;

/// <summary>
/// The aggregation rule (README, "How a verdict is reached"), in order:
/// 1. deny if any persona denies with confidence ≥ deny threshold, or any rule denies;
///    confidence = the highest such confidence (a rule counts as 1.0);
/// 2. else ask if any persona asks with confidence ≥ ask threshold, any persona denies below the deny
///    threshold, or any rule asks; confidence = the highest such confidence;
/// 3. else ask if no persona answered (all failed or timed out); confidence 0;
/// 4. else allow with confidence = weight-averaged agreement (a persona's confidence if it allows, one minus
///    it if not), turned into ask when below compliance_level;
/// 5. a request that could only partly be read (oversized, invalid Unicode, hidden characters) is never allowed:
///    an allow becomes ask, confidence 0;
/// 6. in advisory mode a deny is softened to ask.
/// </summary>
public static class DecisionAggregator
{
    public static AggregatedVerdict Aggregate(
        IReadOnlyList<PersonaOutcome> personas,
        IReadOnlyList<RuleOutcome> rules,
        PolicyThresholds thresholds,
        IReadOnlyList<string>? inputFlaws = null)
    {
        var warnings = new List<GovernanceWarning>();
        var result = Decide(personas, rules, thresholds, warnings);
        if (inputFlaws is { Count: > 0 })
        {
            var flaws = string.Join("; ", inputFlaws);
            warnings.Add(new GovernanceWarning("unreviewable-input", Severity.High,
                $"Governance could not read all of this request ({flaws}); it is never allowed unreviewed.", "validation"));
            if (result.Verdict == Verdict.Allow)
            {
                result = new AggregatedVerdict(Verdict.Ask, 0, [], $"Part of this request could not be reviewed ({flaws}); a person should confirm it.", []);
            }
        }
        if (result.Verdict == Verdict.Deny && string.Equals(thresholds.Mode, "advisory", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add(new GovernanceWarning("advisory-mode", Severity.High,
                "Policy would deny this; advisory mode asks a person instead.", "aggregation"));
            result = result with { Verdict = Verdict.Ask };
        }
        return result with { Warnings = warnings };
    }

    private static AggregatedVerdict Decide(
        IReadOnlyList<PersonaOutcome> personas,
        IReadOnlyList<RuleOutcome> rules,
        PolicyThresholds thresholds,
        List<GovernanceWarning> warnings)
    {
        var denyBy = new List<string>();
        var askBy = new List<string>();
        double denyConfidence = 0, askConfidence = 0;
        string denyReason = "", askReason = "";

        foreach (var rule in rules)
        {
            if (rule.Effect == RuleEffect.Deny)
            {
                Support(denyBy, ref denyConfidence, ref denyReason, "rule:" + rule.Id, 1.0, rule.Message);
            }
            else if (rule.Effect == RuleEffect.Ask)
            {
                Support(askBy, ref askConfidence, ref askReason, "rule:" + rule.Id, 1.0, rule.Message);
            }
        }

        double weighted = 0, weights = 0;
        var answered = 0;
        foreach (var outcome in personas)
        {
            if (outcome.Status != PersonaStatus.Ok || outcome.Verdict is not { } verdict)
            {
                continue;
            }
            answered++;
            var confidence = Math.Clamp(verdict.Confidence, 0, 1);
            var weight = outcome.Persona.Weight;
            weights += weight;
            weighted += weight * (verdict.Verdict == Verdict.Allow ? confidence : 1 - confidence);
            var id = outcome.Persona.Id;
            switch (verdict.Verdict)
            {
                case Verdict.Deny when confidence >= thresholds.DenyConfidence:
                    Support(denyBy, ref denyConfidence, ref denyReason, id, confidence, verdict.Guidance);
                    break;
                case Verdict.Deny:
                    Support(askBy, ref askConfidence, ref askReason, id, confidence, verdict.Guidance);
                    warnings.Add(new GovernanceWarning("low-confidence-deny", Severity.Medium,
                        $"{id} would deny at confidence {confidence:0.00}, below the deny threshold {thresholds.DenyConfidence:0.00}; asking instead.",
                        "aggregation"));
                    break;
                case Verdict.Ask when confidence >= thresholds.AskConfidence:
                    Support(askBy, ref askConfidence, ref askReason, id, confidence, verdict.Guidance);
                    break;
            }
        }

        if (denyBy.Count > 0)
        {
            return new AggregatedVerdict(Verdict.Deny, denyConfidence, denyBy, denyReason, []);
        }
        if (askBy.Count > 0)
        {
            return new AggregatedVerdict(Verdict.Ask, askConfidence, askBy, askReason, []);
        }
        if (answered == 0)
        {
            warnings.Add(new GovernanceWarning("no-persona-answered", Severity.High,
                "No persona could evaluate this operation; a person should confirm it.", "aggregation"));
            return new AggregatedVerdict(Verdict.Ask, 0, [], "No persona could evaluate this operation.", []);
        }

        var overall = Math.Round(weighted / weights, 4);
        if (overall < thresholds.ComplianceLevel)
        {
            warnings.Add(new GovernanceWarning("low-confidence", Severity.Medium,
                $"Overall confidence {overall:0.00} is below the compliance level {thresholds.ComplianceLevel:0.00}; a person should confirm.",
                "aggregation"));
            return new AggregatedVerdict(Verdict.Ask, overall, [], "The panel is not confident enough to allow this on its own.", []);
        }
        return new AggregatedVerdict(Verdict.Allow, overall, [], "", []);
    }

    private static void Support(List<string> by, ref double best, ref string reason, string id, double confidence, string message)
    {
        by.Add(id);
        if (confidence > best || reason.Length == 0)
        {
            best = Math.Max(best, confidence);
            if (message.Length > 0)
            {
                reason = message;
            }
        }
    }
}
