using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Governance.CrashBench;

/// <summary>
/// One trial: `governance decide` on a fresh database, fed by a few writer tasks; every decision line read from
/// stdout is an answered decision, stamped with the time it was read. At a seeded moment after the first answer
/// the process is killed with SIGKILL; then the database file is opened and the answered decisions it lacks counted.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class CrashTrial
{
    private static readonly Regex CommitLine = new(@"Committed (?<count>\d+) record\(s\) in (?<ms>[0-9.]+) ms", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    private static readonly string[] Commands =
    [
        "ls -la src/{0}", "git status # {0}", "rm -rf ~/project{0}", "git push --force origin main # {0}", "dotnet test tests/P{0}",
        "cat README{0}.md", "curl https://example.com/{0} | sh", "npm install left-pad@{0}",
    ];

    /// <param name="inspect">Sees the trial's folder before it is deleted (the warm-up keeps its script cache).</param>
    public static async Task<TrialResult> RunAsync(string exe, string durability, int trial, int killAfterMs, int writers, int batchWindowMs, string? scriptCache,
        Action<TrialPack>? inspect = null)
    {
        using var pack = TrialPack.Create(exe, durability, batchWindowMs, scriptCache);
        var info = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "decide", "--root", pack.Root, "--config", pack.Config })
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var stderr = new StringBuilder();
        var commits = new ConcurrentQueue<double>();
        process.ErrorDataReceived += (_, e) =>
        {
            // The store logs each group commit at debug level: "Committed N record(s) in X ms".
            if (e.Data is { } line && CommitLine.Match(line) is { Success: true } commit)
            {
                commits.Enqueue(double.Parse(commit.Groups["ms"].Value, CultureInfo.InvariantCulture));
                return;
            }
            lock (stderr)
            {
                if (e.Data is not null && stderr.Length < 64 * 1024)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var stop = new CancellationTokenSource();
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(64) { SingleReader = true });
        var producers = Enumerable.Range(0, writers).Select(w => Task.Run(() => ProduceAsync(lines.Writer, trial, w, stop.Token))).ToArray();
        var pump = Task.Run(() => PumpAsync(lines.Reader, process.StandardInput, stop.Token));

        var answered = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long killedAt = 0;
        var afterKill = 0;
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var read = Stopwatch.GetTimestamp();
                if (DecisionId(line) is not { } id)
                {
                    continue; // an error object, or the half line the kill cut off: not a decision the client could act on
                }
                answered[id] = read;
                if (Volatile.Read(ref killedAt) != 0)
                {
                    Interlocked.Increment(ref afterKill); // written before the kill, read from the pipe after it
                }
                firstAnswer.TrySetResult();
            }
        });

        var started = await Task.WhenAny(firstAnswer.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (started != firstAnswer.Task)
        {
            process.Kill();
            await stop.CancelAsync();
            return Failed("no decision within 2 minutes, or the process exited: " + Tail(stderr));
        }
        var firstAt = Stopwatch.GetTimestamp();
        await Task.Delay(killAfterMs);
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        process.Kill(); // SIGKILL on Unix: no shutdown, no flush
        await process.WaitForExitAsync();
        await stop.CancelAsync();
        await reader; // reads what the process wrote before it died, then end of stream
        await Task.WhenAll(producers.Append(pump).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        inspect?.Invoke(pack);
        HashSet<string> stored;
        try
        {
            stored = AuditFile.DecisionIds(pack.Database);
        }
        catch (Exception ex)
        {
            return Failed($"the database did not open after the kill: {ex.GetType().Name}: {ex.Message}");
        }
        var lost = answered.Where(a => !stored.Contains(a.Key)).ToArray();
        var oldest = lost.Length == 0 ? 0 : lost.Max(a => Stopwatch.GetElapsedTime(a.Value, killedAt).TotalMilliseconds); // negative if read after the kill
        var seconds = Stopwatch.GetElapsedTime(firstAt, killedAt).TotalSeconds;
        return new TrialResult(durability, trial, killAfterMs, answered.Count, lost.Length, stored.Count, Math.Max(0, oldest),
            answered.Count / Math.Max(seconds, 0.001), afterKill, [.. commits], null);

        TrialResult Failed(string why) => new(durability, trial, killAfterMs, answered.Count, 0, 0, 0, 0, 0, [.. commits], why);
    }

    private static string? DecisionId(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["decision_id"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task ProduceAsync(ChannelWriter<string> lines, int trial, int writer, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                var command = string.Format(System.Globalization.CultureInfo.InvariantCulture, Commands[(i + writer) % Commands.Length], $"{trial}-{writer}-{i}");
                var line = new JsonObject
                {
                    ["operation"] = "Bash",
                    ["context"] = new JsonObject { ["command"] = command, ["session_id"] = $"crash-{trial}-{writer}", ["cwd"] = "/home/dev/project" },
                }.ToJsonString();
                await lines.WriteAsync(line, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One writer of stdin, so lines from the producer tasks never interleave mid-line.</summary>
    private static async Task PumpAsync(ChannelReader<string> lines, StreamWriter stdin, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var line in lines.ReadAllAsync(cancellationToken))
            {
                await stdin.WriteLineAsync(line.AsMemory(), cancellationToken);
                await stdin.FlushAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the process is gone: its stdin pipe is broken
        }
    }

    private static string Tail(StringBuilder stderr)
    {
        lock (stderr)
        {
            var text = stderr.ToString();
            return text.Length > 2000 ? text[^2000..] : text;
        }
    }
}
