using Governance.Abstractions.Analysis;

namespace Governance.Abstractions.Policy;

/// <summary>What operation analysis needs to know about this installation (governance section of the configuration).</summary>
public sealed record AnalysisSettings
{
    /// <summary>Branch names or globs ("release/*") where force pushes and deletions are refused.</summary>
    public IReadOnlyList<string> ProtectedBranches { get; init; } = ["main", "master", "release/*"];
    /// <summary>The user's home when the request does not reveal it (defaults to this process's HOME).</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    /// <summary>
    /// Absolute paths of the guard's own files and folders — the pack, the configuration file, the data folder with the
    /// audit file, the executable — as written and with symbolic links resolved. Paths there are classed
    /// <see cref="PathClass.GovernancePolicy"/>; folders holding them <see cref="PathClass.ContainsGuard"/>.
    /// </summary>
    public IReadOnlyList<string> GuardPaths { get; init; } = [];
    /// <summary>Resolves symbolic links of absolute paths, so a link cannot hide a target; null analyses paths as written.</summary>
    public IPathLinks? Links { get; init; }
    /// <summary>What the tools of well-known MCP servers do (the pack's rules/mcp-tools/ folder).</summary>
    public McpToolCatalog McpTools { get; init; } = McpToolCatalog.Empty;
}
