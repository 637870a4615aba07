namespace Governance.TestKit;

/// <summary>A scratch folder deleted when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "governance-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies the shipped pack (personas, rules, plugins, config) here, for tests that change it.</summary>
    public TempDirectory WithShippedPack()
    {
        foreach (var folder in new[] { "personas", "rules", "plugins" })
        {
            var source = System.IO.Path.Combine(RepoPaths.Root, folder);
            var target = Combine(folder);
            Directory.CreateDirectory(target);
            if (!Directory.Exists(source))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }
        File.Copy(System.IO.Path.Combine(RepoPaths.Root, "mcp_config.yaml"), Combine("mcp_config.yaml"));
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file for a moment; the OS temp cleaner takes the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
