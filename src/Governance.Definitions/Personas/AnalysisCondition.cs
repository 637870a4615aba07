using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Core.Personas;

namespace Governance.Definitions.Personas;

/// <summary>
/// The analysis half of a YAML check: an effect (kind, flags, target classes, detail) that one and the same
/// effect must satisfy, commands that must be executed, inline code, opacity.
/// </summary>
internal sealed class AnalysisCondition
{
    public Regex? Effect { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
    public IReadOnlyList<string> NotFlags { get; init; } = [];
    public PathClass Target { get; init; }
    public bool TargetUnresolved { get; init; }
    public PathClass NotTarget { get; init; }
    public Regex? Detail { get; init; }
    public PolicyPattern? Executes { get; init; }
    public PolicyPattern? NotExecutes { get; init; }
    public PolicyPattern? Code { get; init; }
    public bool? Opaque { get; init; }

    public bool IsEmpty => Effect is null && Executes is null && Code is null && Opaque is null && NotExecutes is null;

    public bool Matches(OperationAnalysis analysis)
    {
        if (Opaque is { } opaque && analysis.IsOpaque != opaque)
        {
            return false;
        }
        if (Executes is not null && !AnyCommand(analysis, Executes, c => c.Text))
        {
            return false;
        }
        if (NotExecutes is not null && AnyCommand(analysis, NotExecutes, c => c.Text))
        {
            return false;
        }
        if (Code is not null && !AnyCommand(analysis, Code, c => c.Code))
        {
            return false;
        }
        if (Effect is null)
        {
            return true;
        }
        foreach (var effect in analysis.Effects)
        {
            if (EffectMatches(effect))
            {
                return true;
            }
        }
        return false;
    }

    private bool EffectMatches(OperationEffect effect)
    {
        if (!Effect!.IsMatch(effect.Kind))
        {
            return false;
        }
        foreach (var flag in Flags)
        {
            if (!effect.HasFlag(flag))
            {
                return false;
            }
        }
        foreach (var flag in NotFlags)
        {
            if (effect.HasFlag(flag))
            {
                return false;
            }
        }
        if (Detail is not null && !Detail.IsMatch(effect.Detail))
        {
            return false;
        }
        if (Target != PathClass.None || TargetUnresolved)
        {
            var any = false;
            foreach (var target in effect.Targets)
            {
                if (target.Is(Target) || (TargetUnresolved && target.IsUnresolved))
                {
                    any = true;
                    break;
                }
            }
            if (!any)
            {
                return false;
            }
        }
        if (NotTarget != PathClass.None)
        {
            foreach (var target in effect.Targets)
            {
                if (target.Is(NotTarget))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static bool AnyCommand(OperationAnalysis analysis, PolicyPattern pattern, Func<AnalyzedCommand, string> field)
    {
        foreach (var command in analysis.Commands)
        {
            var text = field(command);
            if (text.Length > 0 && pattern.IsMatch(text))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Kebab-case YAML names of <see cref="PathClass"/> values ("outside-workspace"), plus "unresolved".</summary>
    public static bool TryParseClass(string name, out PathClass value)
    {
        var pascal = string.Concat(name.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return Enum.TryParse(pascal, ignoreCase: false, out value) && value != PathClass.None && Enum.IsDefined(value);
    }

    public static string ClassNames =>
        string.Join(", ", Enum.GetValues<PathClass>().Where(c => c != PathClass.None)
            .Select(c => string.Concat(c.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString())))) + ", unresolved";
}
