namespace Governance.Server.Configuration;

/// <summary>
/// The guard's own files, which no agent may change: the pack (personas/, rules/, plugins/), the configuration file,
/// the data folder (audit database, script cache, server registry), and the executable with the folder it runs from.
/// Each is listed as configured and with its symbolic links resolved, so neither spelling gets past the analysis.
/// </summary>
internal static class GuardFiles
{
    public static IReadOnlyList<string> Of(string personas, string rules, string plugins, string? config, string dataDirectory)
    {
        var paths = new List<string> { personas, rules, plugins, dataDirectory };
        if (config is not null)
        {
            paths.Add(config);
        }
        if (Environment.ProcessPath is { } executable && Path.GetFileNameWithoutExtension(executable) == "governance")
        {
            // The published product: the executable and its folder (its libraries and default pack live there too).
            paths.Add(executable);
            paths.Add(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        }
        var all = new List<string>();
        foreach (var path in paths)
        {
            var full = Analysis.Paths.PathResolver.Normalize(Path.GetFullPath(path));
            all.Add(full);
            if (FileSystemLinks.Instance.RealPath(full) is { } real && real != full)
            {
                all.Add(real);
            }
        }
        return all.Distinct(StringComparer.Ordinal).ToArray();
    }
}
