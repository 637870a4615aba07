namespace Governance.Abstractions.Analysis;

/// <summary>
/// What an operation would really do: the commands it executes, their effects and the paths they touch.
/// Built once per (uncached) request before personas run; personas, rules and plugins read it.
/// </summary>
public sealed class OperationAnalysis
{
    public static readonly OperationAnalysis Empty = new() { Commands = [], Effects = [], Targets = [] };

    public required IReadOnlyList<AnalyzedCommand> Commands { get; init; }
    public required IReadOnlyList<OperationEffect> Effects { get; init; }
    /// <summary>Every path an effect touches, plus the file of a file operation.</summary>
    public required IReadOnlyList<PathTarget> Targets { get; init; }
    /// <summary>Why parts of the command could not be analysed; non-empty means "treat as unknown code running".</summary>
    public IReadOnlyList<string> OpaqueReasons { get; init; } = [];
    /// <summary>For a catalogued MCP tool, the built-in operation it amounts to; null otherwise.</summary>
    public ToolEquivalent? Equivalent { get; init; }

    public bool IsOpaque => OpaqueReasons.Count > 0;

    public bool Has(string kind)
    {
        foreach (var effect in Effects)
        {
            if (string.Equals(effect.Kind, kind, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public bool Has(string kind, string flag)
    {
        foreach (var effect in Effects)
        {
            if (string.Equals(effect.Kind, kind, StringComparison.Ordinal) && effect.HasFlag(flag))
            {
                return true;
            }
        }
        return false;
    }

    public bool Executes(string name)
    {
        foreach (var command in Commands)
        {
            if (string.Equals(command.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public bool HasRecursiveDelete => Has(EffectKinds.Delete, "recursive");
    public bool HasForcePush => Has(EffectKinds.GitPush, "force");
    public bool HasPipeToShell => Has(EffectKinds.PipeToShell);
    public bool TouchesSecret => AnyTarget(PathClass.Secret);
    public bool TouchesOutsideWorkspace => AnyTarget(PathClass.OutsideWorkspace);

    public bool AnyTarget(PathClass classes)
    {
        foreach (var target in Targets)
        {
            if (target.Is(classes))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Effects of one kind whose targets include one of <paramref name="classes"/>.</summary>
    public bool Has(string kind, PathClass classes)
    {
        foreach (var effect in Effects)
        {
            if (string.Equals(effect.Kind, kind, StringComparison.Ordinal) && effect.AnyTarget(classes))
            {
                return true;
            }
        }
        return false;
    }
}
