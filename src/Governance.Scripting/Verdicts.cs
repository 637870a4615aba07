using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;

namespace Governance.Scripting;

/// <summary>Short ways for scripts to answer. A check id names what matched; ask and deny also raise a warning.</summary>
public static class Verdicts
{
    public static PersonaVerdict Allow(double confidence, string guidance, string rationale = "") => new()
    {
        Verdict = Verdict.Allow,
        Confidence = confidence,
        Guidance = guidance,
        Rationale = rationale,
    };

    public static PersonaVerdict Ask(double confidence, string check, string guidance, string rationale = "",
        Severity severity = Severity.Medium, params string[] recommendations) =>
        Objection(Verdict.Ask, confidence, check, guidance, rationale, severity, recommendations);

    public static PersonaVerdict Deny(double confidence, string check, string guidance, string rationale = "",
        Severity severity = Severity.High, params string[] recommendations) =>
        Objection(Verdict.Deny, confidence, check, guidance, rationale, severity, recommendations);

    /// <summary>The strongest of several answers (deny over ask over allow), merging the others' checks, warnings and advice.</summary>
    public static PersonaVerdict Strongest(PersonaVerdict fallback, IEnumerable<PersonaVerdict> answers)
    {
        var all = answers.ToList();
        if (all.Count == 0)
        {
            return fallback;
        }
        var strongest = all.OrderByDescending(a => a.Verdict).ThenByDescending(a => a.Confidence).First();
        var recommendations = new List<string>(strongest.Recommendations);
        foreach (var other in all.Where(a => !ReferenceEquals(a, strongest)))
        {
            foreach (var text in other.Recommendations.Prepend(other.Guidance))
            {
                if (text.Length > 0 && !recommendations.Contains(text))
                {
                    recommendations.Add(text);
                }
            }
        }
        return strongest with
        {
            Recommendations = recommendations,
            Warnings = all.SelectMany(a => a.Warnings).ToArray(),
            MatchedChecks = all.SelectMany(a => a.MatchedChecks).Distinct().ToArray(),
        };
    }

    private static PersonaVerdict Objection(Verdict verdict, double confidence, string check, string guidance, string rationale,
        Severity severity, string[] recommendations) => new()
        {
            Verdict = verdict,
            Confidence = confidence,
            Guidance = guidance,
            Rationale = rationale,
            Recommendations = recommendations,
            MatchedChecks = [check],
            Warnings = [new GovernanceWarning(check, severity, guidance, "")],
        };
}
