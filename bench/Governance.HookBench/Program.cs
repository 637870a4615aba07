using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Governance.HookBench;

// Latency of each Claude Code hook path, as Claude Code pays it, against the published executable:
//   dotnet run --project bench/Governance.HookBench -c Release -- [--exe OUT/governance] [--calls 200]
// Every call is a distinct request (no cache hits) unless the row says otherwise; every answer is parsed and its
// verdict counted, so a figure cannot come from failed calls.
var exe = Path.GetFullPath(Argument("--exe") ?? "OUT/governance");
var calls = int.Parse(Argument("--calls") ?? "200", CultureInfo.InvariantCulture);
var pack = Pack.CopyBeside(exe);
Console.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, {calls} calls per path");
Console.WriteLine();
Console.WriteLine("| path | calls | p50 ms | p95 ms | p99 ms | mean ms | min ms | max ms | verdicts |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");

Report("process start floor (`governance --help`)", await Measure(Math.Min(calls, 50), async _ =>
{
    var run = await Child.RunAsync(exe, ["--help"], "");
    return run.ExitCode == 0 ? "ok" : throw new InvalidOperationException(run.Stderr);
}));

var server = await McpServer.StartAsync(exe, pack.Root, pack.Config);
for (var i = 0; i < 5; i++)
{
    await server.PreToolUseAsync(Command(-1 - i), "warm-" + i); // the first call waits for the policy to load
}
Report("mcp_tool: `pre_tool_use` on the connected server", await Measure(calls, i => server.PreToolUseAsync(Command(i), $"toolu_m{i}")));
Report("mcp_tool, the same call repeated (cache hit)", await Measure(calls, _ => server.PreToolUseAsync("ls -la", "toolu_same")));
Report("command: `governance hook`, forwarded to the running server", await Measure(calls, async i =>
{
    var run = await Child.RunAsync(exe, ["hook", "--root", pack.Root, "--config", pack.Config], Payload(Command(10_000 + i), $"toolu_f{i}"));
    if (!run.Stderr.Contains("answered by the running server", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("not forwarded: " + run.Stderr);
    }
    return Verdict(run.Stdout);
}));
await server.DisposeAsync();

var warm = await Child.RunAsync(exe, ["hook", "--no-forward", "--root", pack.Root, "--config", pack.Config], Payload("ls", "toolu_warm"));
Report("command: `governance hook`, no server (decides in its own process)", await Measure(calls, async i =>
{
    var run = await Child.RunAsync(exe, ["hook", "--no-forward", "--root", pack.Root, "--config", pack.Config], Payload(Command(20_000 + i), $"toolu_l{i}"));
    if (!run.Stderr.Contains("0 compiled", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("scripts were compiled: " + run.Stderr);
    }
    return Verdict(run.Stdout);
}));
var http = await HttpServer.StartAsync(exe, pack.Root, pack.Config);
for (var i = 0; i < 5; i++)
{
    await http.PreToolUseAsync(Payload(Command(-100 - i), "warm-" + i));
}
Report("http: POST /hooks/pre-tool-use to `serve --transport http`", await Measure(calls, i => http.PreToolUseAsync(Payload(Command(30_000 + i), $"toolu_h{i}"))));
await http.DisposeAsync();
Console.WriteLine();
Console.WriteLine($"(warm-up of the no-server path: {(warm.ExitCode == 0 ? "ok" : warm.Stderr)})");
Directory.Delete(pack.Root, recursive: true);
return 0;

static string Command(int i) => (i % 4) switch
{
    0 => $"ls -la src/dir{i}",
    1 => $"rm -rf ~/project{i}",
    2 => $"git push --force origin main # {i}",
    _ => $"dotnet test tests/Project{i}",
};

static string Payload(string command, string toolUseId) => new JsonObject
{
    ["session_id"] = "hook-bench",
    ["transcript_path"] = "/tmp/transcript.jsonl",
    ["cwd"] = "/home/dev/project",
    ["permission_mode"] = "default",
    ["hook_event_name"] = "PreToolUse",
    ["tool_name"] = "Bash",
    ["tool_input"] = new JsonObject { ["command"] = command },
    ["tool_use_id"] = toolUseId,
}.ToJsonString();

static string Verdict(string hookOutput) =>
    JsonNode.Parse(hookOutput)?["hookSpecificOutput"]?["permissionDecision"]?.GetValue<string>()
    ?? throw new InvalidOperationException("no permissionDecision in: " + hookOutput);

static async Task<(double[] Milliseconds, Dictionary<string, int> Verdicts)> Measure(int count, Func<int, Task<string>> call)
{
    var times = new double[count];
    var verdicts = new Dictionary<string, int>(StringComparer.Ordinal);
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var verdict = await call(i);
        times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
    }
    return (times, verdicts);
}

static void Report(string path, (double[] Milliseconds, Dictionary<string, int> Verdicts) result)
{
    var sorted = result.Milliseconds.Order().ToArray();
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    var verdicts = string.Join(", ", result.Verdicts.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} {v.Value}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {path} | {sorted.Length} | {At(0.50):0.0} | {At(0.95):0.0} | {At(0.99):0.0} | {sorted.Average():0.0} | {sorted[0]:0.0} | {sorted[^1]:0.0} | {verdicts} |"));
}

string? Argument(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
