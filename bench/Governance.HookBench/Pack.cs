namespace Governance.HookBench;

/// <summary>A copy of the published pack in a temp folder, so each run starts with an empty database and writes nothing beside the product.</summary>
internal sealed record Pack(string Root, string Config)
{
    public static Pack CopyBeside(string exe)
    {
        var source = Path.GetDirectoryName(exe)!;
        var root = Path.Combine(Path.GetTempPath(), "governance-hookbench-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var folder in new[] { "personas", "rules", "plugins" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(source, folder), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        File.Copy(Path.Combine(source, "mcp_config.yaml"), Path.Combine(root, "mcp_config.yaml"));
        return new Pack(root, Path.Combine(root, "mcp_config.yaml"));
    }
}
