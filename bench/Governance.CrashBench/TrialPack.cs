using System.Globalization;

namespace Governance.CrashBench;

/// <summary>
/// One trial's folder: a copy of the published pack (personas/, rules/, plugins/), a configuration whose database
/// lives in the folder, and the compiled script cache of the warm-up run so each start skips Roslyn.
/// </summary>
internal sealed class TrialPack : IDisposable
{
    private TrialPack(string root) => Root = root;

    public string Root { get; }
    public string Config => Path.Combine(Root, "mcp_config.yaml");
    public string DataDirectory => Path.Combine(Root, "data");
    public string Database => Path.Combine(DataDirectory, "governance.db");

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static TrialPack Create(string exe, string durability, int batchWindowMs, string? scriptCache)
    {
        var source = Path.GetDirectoryName(exe)!;
        var pack = new TrialPack(Path.Combine(Path.GetTempPath(), "governance-crashbench-" + Guid.NewGuid().ToString("N")[..8]));
        foreach (var folder in new[] { "personas", "rules", "plugins" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, folder), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(pack.Root, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        Directory.CreateDirectory(pack.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (scriptCache is not null && Directory.Exists(scriptCache))
        {
            foreach (var file in Directory.EnumerateFiles(scriptCache, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(pack.DataDirectory, "script-cache", Path.GetRelativePath(scriptCache, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        File.WriteAllText(pack.Config, string.Create(CultureInfo.InvariantCulture, $"""
            server:
              log_level: debug
            database:
              path: {pack.Database}
              durability: {durability}
              batch_window_ms: {batchWindowMs}
            """));
        return pack;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // the killed process's files are closed by now; a leftover goes with the OS temp cleaner
        }
    }
}
