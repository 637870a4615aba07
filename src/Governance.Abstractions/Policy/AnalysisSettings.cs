namespace Governance.Abstractions.Policy;

/// <summary>What operation analysis needs to know about this installation (governance section of the configuration).</summary>
public sealed record AnalysisSettings
{
    /// <summary>Branch names or globs ("release/*") where force pushes and deletions are refused.</summary>
    public IReadOnlyList<string> ProtectedBranches { get; init; } = ["main", "master", "release/*"];
    /// <summary>The user's home when the request does not reveal it (defaults to this process's HOME).</summary>
    public string Home { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
