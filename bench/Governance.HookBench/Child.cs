using System.Diagnostics;

namespace Governance.HookBench;

/// <summary>One process run the way Claude Code runs a command hook: payload on stdin, answer on stdout.</summary>
internal static class Child
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string exe, IEnumerable<string> arguments, string stdin)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
