namespace Governance.TestKit;

/// <summary>Finds the repository, so tests load the real shipped pack.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Personas => Path.Combine(Root, "personas");
    public static string Rules => Path.Combine(Root, "rules");
    public static string Plugins => Path.Combine(Root, "plugins");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Governance.sln not found above " + AppContext.BaseDirectory);
    }
}
