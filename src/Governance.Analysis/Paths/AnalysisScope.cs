using Governance.Abstractions.Policy;

namespace Governance.Analysis.Paths;

/// <summary>Where an operation runs: the directories paths are resolved against and classified by.</summary>
public sealed record AnalysisScope
{
    /// <summary>Absolute working directory of the command ("" when the request did not say).</summary>
    public required string Cwd { get; init; }
    /// <summary>Absolute workspace root: the request's workspace, else its cwd.</summary>
    public required string Workspace { get; init; }
    public required string Home { get; init; }
    /// <summary>Where this server's personas/, rules/ and plugins/ live ("" when unknown).</summary>
    public string GovernanceRoot { get; init; } = "";
    public required AnalysisSettings Settings { get; init; }

    // Relative paths of a request without cwd are taken to be inside a workspace we do not know the name of.
    public const string UnknownWorkspace = "/\u2060workspace";

    /// <summary>Builds the scope from the request's cwd/workspace; the home is the one the cwd lives in when it shows one.</summary>
    public static AnalysisScope Create(string cwd, string workspace, AnalysisSettings settings, string governanceRoot)
    {
        var normalizedCwd = PathResolver.IsAbsolute(cwd) ? PathResolver.Normalize(cwd) : "";
        var normalizedWorkspace = PathResolver.IsAbsolute(workspace) ? PathResolver.Normalize(workspace) : normalizedCwd;
        if (normalizedWorkspace.Length == 0)
        {
            normalizedWorkspace = UnknownWorkspace;
        }
        if (normalizedCwd.Length == 0)
        {
            normalizedCwd = normalizedWorkspace;
        }
        var home = HomeOf(normalizedWorkspace) ?? HomeOf(normalizedCwd) ?? PathResolver.Normalize(settings.Home.Length > 0 ? settings.Home : "/root");
        return new AnalysisScope
        {
            Cwd = normalizedCwd,
            Workspace = normalizedWorkspace,
            Home = home,
            GovernanceRoot = PathResolver.IsAbsolute(governanceRoot) ? PathResolver.Normalize(governanceRoot) : "",
            Settings = settings,
        };
    }

    private static string? HomeOf(string path)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["/home/", "/Users/"])
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length)
            {
                var end = path.IndexOf('/', prefix.Length);
                return end < 0 ? path : path[..end];
            }
        }
        return path == "/root" || path.StartsWith("/root/", StringComparison.Ordinal) ? "/root" : null;
    }
}
