namespace Governance.Abstractions.Analysis;

/// <summary>
/// A path an operation touches, as written and as resolved against the working directory and home
/// ("~", "$HOME", "..", trailing slashes and globs normalised), with its classes.
/// </summary>
public sealed class PathTarget
{
    /// <summary>The path as written in the command or request.</summary>
    public required string Raw { get; init; }
    /// <summary>The absolute, normalised path; for a glob, the directory the glob expands in.</summary>
    public required string Path { get; init; }
    public required PathClass Classes { get; init; }
    /// <summary>The path had wildcards (*, ?, [..]).</summary>
    public bool IsGlob { get; init; }
    /// <summary>The path depends on a variable whose value is unknown ("$BUILD_DIR/"), so it could be anything.</summary>
    public bool IsUnresolved { get; init; }

    public bool Is(PathClass classes) => (Classes & classes) != 0;

    public bool IsRoot => Is(PathClass.Root);
    public bool IsSystem => Is(PathClass.System);
    public bool IsHome => Is(PathClass.Home);
    public bool IsInsideHome => Is(PathClass.InsideHome);
    public bool IsWorkspaceRoot => Is(PathClass.WorkspaceRoot);
    public bool IsWorkspaceParent => Is(PathClass.WorkspaceParent);
    public bool IsInsideWorkspace => Is(PathClass.InsideWorkspace);
    public bool IsOutsideWorkspace => Is(PathClass.OutsideWorkspace);
    public bool IsTemp => Is(PathClass.Temp);
    public bool IsSecret => Is(PathClass.Secret);
    public bool IsCiConfig => Is(PathClass.CiConfig);
    public bool IsHookConfig => Is(PathClass.HookConfig);
    public bool IsAgentConfig => Is(PathClass.AgentConfig);
    public bool IsGuardConfig => Is(PathClass.GuardConfig);
    public bool IsGovernancePolicy => Is(PathClass.GovernancePolicy);
    public bool IsShellProfile => Is(PathClass.ShellProfile);
    public bool IsDevice => Is(PathClass.Device);
    public bool IsGitDirectory => Is(PathClass.GitDirectory);

    /// <summary>Deleting this recursively cannot be undone and is never routine: root, system, home, the workspace or its parents, .git.</summary>
    public bool IsCatastrophicDeleteTarget =>
        Is(PathClass.Root | PathClass.System | PathClass.Home | PathClass.WorkspaceRoot | PathClass.WorkspaceParent | PathClass.GitDirectory | PathClass.Device);

    public override string ToString() => Raw == Path ? Path : $"{Raw} ({Path})";
}
