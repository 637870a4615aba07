using System.Diagnostics;

namespace Governance.CrashBench;

/// <summary>The published server: --exe if given, else OUT/governance under the repository, published there if missing.</summary>
internal static class ServerExecutable
{
    public static async Task<string> LocateAsync(string? given)
    {
        if (given is not null)
        {
            var full = Path.GetFullPath(given);
            return File.Exists(full) ? full : throw new FileNotFoundException($"--exe: '{full}' does not exist", full);
        }
        var repository = RepositoryRoot();
        var exe = Path.Combine(repository, "OUT", "governance");
        if (File.Exists(exe))
        {
            return exe;
        }
        Console.Error.WriteLine($"{exe} is missing: publishing the server there");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repository, UseShellExecute = false };
        foreach (var argument in new[] { "publish", "src/Governance.Server", "-c", "Release", "-o", "OUT" })
        {
            info.ArgumentList.Add(argument);
        }
        using var publish = Process.Start(info)!;
        await publish.WaitForExitAsync();
        return publish.ExitCode == 0 && File.Exists(exe) ? exe : throw new InvalidOperationException("dotnet publish src/Governance.Server failed");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository, or pass --exe OUT/governance");
    }
}
