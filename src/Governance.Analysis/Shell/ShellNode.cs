namespace Governance.Analysis.Shell;

/// <summary>A node of a shell syntax tree; <see cref="Start"/> and <see cref="End"/> are character offsets in the source.</summary>
public abstract record ShellNode
{
    public int Start { get; init; }

    public int End { get; init; }
}
