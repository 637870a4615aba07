using System.Diagnostics;
using System.Globalization;
using Governance.CrashBench;

// How many answered decisions a kill -9 loses, per durability mode, against the published executable:
//   dotnet run --project bench/Governance.CrashBench -c Release -- [--exe OUT/governance] [--trials 50] [--seed 11]
//       [--writers 4] [--window-ms 50] [--modes sync,batched] [--min-kill-ms 300] [--max-kill-ms 3000]
// Each trial starts `governance decide` on a fresh database, streams requests into it from a few writer tasks,
// records every decision id read from its stdout with the time it was read, kills it with SIGKILL at a seeded
// moment after the first answer, then opens the LiteDB file and counts the answered decisions it lacks.
if (OperatingSystem.IsWindows())
{
    Console.Error.WriteLine("The crash harness kills with SIGKILL and checks POSIX modes: run it on Linux or macOS.");
    return 2;
}
var exe = await ServerExecutable.LocateAsync(Argument("--exe"));
var trials = Number("--trials", 50);
var seed = Number("--seed", 11);
var writers = Number("--writers", 4);
var windowMs = Number("--window-ms", 50);
var minKillMs = Number("--min-kill-ms", 300);
var maxKillMs = Number("--max-kill-ms", 3000);
var modes = (Argument("--modes") ?? "sync,batched").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{exe}; {trials} trials per mode, seed {seed}, {writers} writer tasks, batch_window_ms {windowMs}, kill {minKillMs}-{maxKillMs} ms after the first answer"));

// A warm-up run compiles the pack's C# scripts once; every trial starts from a copy of that cache.
var scriptCache = Path.Combine(Path.GetTempPath(), "governance-crashbench-scripts-" + Guid.NewGuid().ToString("N")[..8]);
var warmUp = await CrashTrial.RunAsync(exe, "sync", -1, 200, 1, windowMs, scriptCache: null,
    pack => CopyFolder(Path.Combine(pack.DataDirectory, "script-cache"), scriptCache));
Console.Error.WriteLine($"warm-up: {warmUp.Answered} answered{(warmUp.Failure is { } f ? ", failed: " + f : "")}");

var results = new List<TrialResult>();
foreach (var mode in modes)
{
    var random = new Random(seed * 7919 + mode.Length);
    var clock = Stopwatch.StartNew();
    for (var trial = 0; trial < trials; trial++)
    {
        var result = await CrashTrial.RunAsync(exe, mode, trial, random.Next(minKillMs, maxKillMs + 1), writers, windowMs, scriptCache);
        results.Add(result);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode} #{trial}: kill at +{result.KillAfterMs} ms, answered {result.Answered}, stored {result.Stored}, lost {result.Lost}, oldest lost {result.OldestLostAgeMs:0.0} ms, {result.CommitMs.Length} commits (longest {result.LongestCommitMs:0.0} ms){(result.Failure is { } why ? ", FAILED: " + why : "")}"));
    }
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {trials} trials in {clock.Elapsed.TotalSeconds:0} s"));
}
if (Directory.Exists(scriptCache))
{
    Directory.Delete(scriptCache, recursive: true);
}

Console.WriteLine();
Console.WriteLine("| durability | trials | answered | lost | lost % | max lost in one trial | trials with a loss | oldest lost answer at the kill: max / p50 | group commit: p50 / p99 / max | trials where oldest lost ≤ window + 2 × longest commit | answers/s (median) | failed trials |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
foreach (var mode in modes)
{
    var ofMode = results.Where(r => r.Durability == mode).ToArray();
    var ok = ofMode.Where(r => r.Failure is null).ToArray();
    var answered = ok.Sum(r => r.Answered);
    var lost = ok.Sum(r => r.Lost);
    var withLoss = ok.Where(r => r.Lost > 0).ToArray();
    var ages = withLoss.Select(r => r.OldestLostAgeMs).Order().ToArray();
    var agesText = ages.Length == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{ages[^1]:0} ms / {ages[ages.Length / 2]:0} ms");
    var commits = ok.SelectMany(r => r.CommitMs).Order().ToArray();
    var commitText = commits.Length == 0 ? "—" : string.Create(CultureInfo.InvariantCulture,
        $"{commits[commits.Length / 2]:0} / {commits[Math.Min(commits.Length - 1, (int)(commits.Length * 0.99))]:0} / {commits[^1]:0} ms");
    var withinBound = withLoss.Count(r => r.OldestLostAgeMs <= windowMs + (2 * r.LongestCommitMs));
    var rates = ok.Select(r => r.AnswersPerSecond).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {mode} | {ok.Length} | {answered} | {lost} | {100.0 * lost / Math.Max(answered, 1):0.00} % | {(ok.Length == 0 ? 0 : ok.Max(r => r.Lost))} | {withLoss.Length} | {agesText} | {commitText} | {withinBound} of {withLoss.Length} | {(rates.Length == 0 ? 0 : rates[rates.Length / 2]):0} | {ofMode.Length - ok.Length} |"));
}
var failures = results.Where(r => r.Failure is not null).ToArray();
foreach (var failure in failures.Take(5))
{
    Console.WriteLine($"failed: {failure.Durability} #{failure.Trial}: {failure.Failure}");
}
return failures.Length == 0 && results.Where(r => r.Durability == "sync").All(r => r.Lost == 0) ? 0 : 1;

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static void CopyFolder(string from, string to)
{
    if (!Directory.Exists(from))
    {
        return;
    }
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}

int Number(string name, int fallback) => Argument(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
