using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Core.Personas;

namespace Governance.Definitions.Personas;

/// <summary>
/// A persona declared in YAML: triggers choose the operations it speaks on, checks (regexes compiled at load)
/// say what it objects to, and the default is its answer when nothing matches.
/// </summary>
internal sealed class YamlPersona : IPersona
{
    public required PersonaDescriptor Descriptor { get; init; }
    public PersonaTriggers Triggers { get; init; } = PersonaTriggers.Always;
    public required PersonaVerdict Default { get; init; }
    public IReadOnlyList<PersonaCheck> Checks { get; init; } = [];

    public bool IsRelevant(Operation operation) => Triggers.Matches(operation);

    public ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
    {
        PersonaCheck? strongest = null;
        List<PersonaCheck>? matched = null;
        foreach (var check in Checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!check.Matches(operation))
            {
                continue;
            }
            (matched ??= []).Add(check);
            if (strongest is null || check.Verdict > strongest.Verdict ||
                (check.Verdict == strongest.Verdict && check.Confidence > strongest.Confidence))
            {
                strongest = check;
            }
        }
        if (strongest is null || matched is null)
        {
            return ValueTask.FromResult(Default);
        }

        var recommendations = new List<string>(strongest.Recommendations);
        var warnings = new List<GovernanceWarning>(matched.Count);
        var ids = new List<string>(matched.Count);
        foreach (var check in matched)
        {
            ids.Add(check.Id);
            if (!ReferenceEquals(check, strongest))
            {
                Add(recommendations, check.Guidance);
                foreach (var recommendation in check.Recommendations)
                {
                    Add(recommendations, recommendation);
                }
            }
            if (check.Verdict != Verdict.Allow)
            {
                warnings.Add(new GovernanceWarning($"{Descriptor.Id}/{check.Id}", check.Severity, check.Guidance, Descriptor.Id));
            }
        }
        return ValueTask.FromResult(new PersonaVerdict
        {
            Verdict = strongest.Verdict,
            Confidence = strongest.Confidence,
            Guidance = strongest.Guidance,
            Rationale = strongest.Rationale,
            Recommendations = recommendations,
            Warnings = warnings,
            MatchedChecks = ids,
        });
    }

    private static void Add(List<string> list, string text)
    {
        if (text.Length > 0 && !list.Contains(text, StringComparer.Ordinal))
        {
            list.Add(text);
        }
    }
}
