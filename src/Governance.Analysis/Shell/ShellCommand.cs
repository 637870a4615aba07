namespace Governance.Analysis.Shell;

/// <summary>A simple or compound command with the redirections written after it.</summary>
public abstract record ShellCommand : ShellNode
{
    public IReadOnlyList<Redirect> Redirects { get; init; } = [];
}
