namespace Governance.Abstractions.Analysis;

/// <summary>What a path is, relative to the workspace, the user's home and the machine. A path can be several at once.</summary>
[Flags]
public enum PathClass
{
    None = 0,
    /// <summary>"/" itself, or a glob over it ("/*").</summary>
    Root = 1 << 0,
    /// <summary>An operating-system directory or file (/etc, /usr, /bin, /boot, /var, /home itself, ...).</summary>
    System = 1 << 1,
    /// <summary>The user's home directory itself, or a glob over it ("~", "~/*", "$HOME").</summary>
    Home = 1 << 2,
    /// <summary>Below the user's home but outside the workspace.</summary>
    InsideHome = 1 << 3,
    /// <summary>The workspace root itself, or a glob over it ("." or "*" in the workspace root).</summary>
    WorkspaceRoot = 1 << 4,
    /// <summary>A directory that contains the workspace ("..", "../..").</summary>
    WorkspaceParent = 1 << 5,
    /// <summary>Strictly inside the workspace.</summary>
    InsideWorkspace = 1 << 6,
    /// <summary>Neither the workspace nor inside it.</summary>
    OutsideWorkspace = 1 << 7,
    /// <summary>/tmp, /var/tmp, /dev/shm or $TMPDIR and below.</summary>
    Temp = 1 << 8,
    /// <summary>A file that holds credentials: .env, SSH private keys, cloud credentials, kube config, .netrc, *.pem keys, /etc/shadow.</summary>
    Secret = 1 << 9,
    /// <summary>CI pipeline definitions (.github/workflows, .gitlab-ci.yml, Jenkinsfile, ...).</summary>
    CiConfig = 1 << 10,
    /// <summary>Git hooks and hook managers (.git/hooks, .husky, .pre-commit-config.yaml, lefthook).</summary>
    HookConfig = 1 << 11,
    /// <summary>Agent configuration (.mcp.json, ~/.claude.json, .cursor/mcp.json, other .claude/ files).</summary>
    AgentConfig = 1 << 12,
    /// <summary>Configuration that installs the guard: Claude Code settings holding hooks (.claude/settings.json, .claude/settings.local.json, ~/.claude/settings.json), .mcp.json and ~/.claude.json (its MCP server).</summary>
    GuardConfig = 1 << 13,
    /// <summary>This governance server's own policy: personas/, rules/, plugins/, its configuration and database.</summary>
    GovernancePolicy = 1 << 14,
    /// <summary>A shell start-up file (~/.bashrc, ~/.zshrc, ~/.profile, ...).</summary>
    ShellProfile = 1 << 15,
    /// <summary>A block device (/dev/sda, /dev/nvme0n1, /dev/disk2, ...).</summary>
    Device = 1 << 16,
    /// <summary>A repository's .git directory itself.</summary>
    GitDirectory = 1 << 17,
    /// <summary>A harmless pseudo-device (/dev/null, /dev/stdout, /dev/zero, ...).</summary>
    NullDevice = 1 << 18,
    /// <summary>A folder that holds the guard's own files: deleting, moving or opening it up takes the guard with it.</summary>
    ContainsGuard = 1 << 19,
}
