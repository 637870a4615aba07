namespace Governance.Abstractions.Analysis;

/// <summary>
/// Something the operation would do, in the vocabulary of <see cref="EffectKinds"/>: delete these paths, force-push
/// that branch, pipe a download into a shell. Personas and rules decide what the effect is worth.
/// </summary>
public sealed class OperationEffect
{
    public required string Kind { get; init; }
    /// <summary>The executed command (or "Write file" for a tool) that has the effect.</summary>
    public required string Command { get; init; }
    public IReadOnlyList<PathTarget> Targets { get; init; } = [];
    /// <summary>Qualifiers, kebab-case: recursive, force, protected, world-writable, ... (see <see cref="EffectKinds"/>).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>What it applies to when that is not a path: a branch, a host, an SQL statement, a reason.</summary>
    public string Detail { get; init; } = "";

    public bool HasFlag(string flag)
    {
        foreach (var f in Flags)
        {
            if (string.Equals(f, flag, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

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

    public override string ToString() =>
        Kind + (Flags.Count > 0 ? "[" + string.Join(',', Flags) + "]" : "") +
        (Targets.Count > 0 ? " " + string.Join(' ', Targets.Select(t => t.Path)) : "") +
        (Detail.Length > 0 ? " (" + Detail + ")" : "");
}
