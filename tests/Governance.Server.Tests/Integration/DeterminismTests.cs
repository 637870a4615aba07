using System.Diagnostics;
using System.Text.Json;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// Verdicts do not depend on machine load: the whole labelled corpus is decided by the published executable twice,
/// once on a quiet machine and once with every core saturated by spinning processes, and every answer is the same:
/// verdict, and each consulted persona's status, verdict and matched checks. No persona may time out or fail in
/// either run: built-in and YAML personas are never timed, and every pattern runs in linear time.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class DeterminismTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-determinism").WithShippedPack();

    [Fact]
    public async Task Decide_WholeCorpusQuietAndUnderFullCpuLoad_IdenticalVerdicts()
    {
        var lines = Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "corpus"), "*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines).Where(l => l.Trim().Length > 0).ToArray();
        var input = string.Join('\n', lines) + "\n";

        var quiet = await DecideAsync(input);
        List<Process> spinners = [];
        string[] loaded;
        try
        {
            // Twice as many spinning processes as cores: every persona thread competes for CPU with them.
            for (var i = 0; i < Environment.ProcessorCount * 2; i++)
            {
                spinners.Add(Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!);
            }
            loaded = await DecideAsync(input);
        }
        finally
        {
            foreach (var spinner in spinners)
            {
                spinner.Kill(entireProcessTree: true);
                spinner.Dispose();
            }
        }

        Assert.Equal(lines.Length, quiet.Length);
        Assert.Equal(lines.Length, loaded.Length);
        var unhealthy = quiet.Concat(loaded).Where(f => f.Contains(":timed_out:", StringComparison.Ordinal) || f.Contains(":failed:", StringComparison.Ordinal)).ToList();
        Assert.True(unhealthy.Count == 0, "personas timed out or failed:\n" + string.Join('\n', unhealthy.Take(10)));
        var different = Enumerable.Range(0, lines.Length).Where(i => quiet[i] != loaded[i])
            .Select(i => $"{lines[i]}\n   quiet:  {quiet[i]}\n   loaded: {loaded[i]}").ToList();
        Assert.True(different.Count == 0, $"{different.Count} of {lines.Length} answers changed under load:\n" + string.Join('\n', different.Take(10)));
    }

    /// <summary>One fingerprint per input line: the verdict and, per persona in id order, status, verdict and checks.</summary>
    private async Task<string[]> DecideAsync(string input)
    {
        var result = await ProcessRunner.RunAsync(server.Executable, ["decide", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")],
            input, timeout: TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Fingerprint).ToArray();
    }

    private static string Fingerprint(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (!root.TryGetProperty("persona_guidance", out var guidance))
        {
            return "error " + root.GetRawText();
        }
        var personas = guidance.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
            $"{p.Name}:{p.Value.GetProperty("status").GetString()}:{p.Value.GetProperty("verdict").GetString()}:" +
            string.Join(',', p.Value.GetProperty("checks").EnumerateArray().Select(c => c.GetString())));
        return root.GetProperty("verdict").GetString() + " | " + string.Join(" ", personas);
    }

    public void Dispose() => _pack.Dispose();
}
