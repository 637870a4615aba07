using System.Collections.Concurrent;
using System.Diagnostics;

namespace Governance.TestKit.Fuzz;

/// <summary>
/// Streams generated hostile inputs through a transport of the real executable and judges every answer, keeping only
/// counts and the first problems, so the same code checks 10,000 inputs in the test suite and 1,000,000 in
/// bench/Governance.FuzzBench without holding them in memory.
/// </summary>
public static class FuzzRun
{
    public const int KeptProblems = 50;

    /// <summary>What a run found: inputs sent, answers judged, problems (the first <see cref="KeptProblems"/>) and the time it took.</summary>
    public sealed class Report(string transport)
    {
        private readonly ConcurrentQueue<string> _problems = new();
        private int _problemCount;

        public string Transport { get; } = transport;
        public long Inputs { get; set; }
        public long Answers { get; set; }
        public long Refused { get; set; }
        public TimeSpan Elapsed { get; set; }
        public int ProblemCount => _problemCount;
        public IReadOnlyCollection<string> Problems => _problems;

        public void Problem(string problem)
        {
            if (Interlocked.Increment(ref _problemCount) <= KeptProblems)
            {
                _problems.Enqueue(problem);
            }
        }

        public override string ToString() =>
            $"{Transport}: {Inputs:N0} inputs, {Answers:N0} answers ({Refused:N0} not allowed), {ProblemCount} problem(s) in {Elapsed.TotalSeconds:N1} s" +
            (ProblemCount == 0 ? "" : "; the first ones:\n" + string.Join('\n', Problems.Take(15)));
    }

    /// <summary>
    /// <c>governance decide</c>: one process, every line written on stdin while the answers are read; each non-blank line
    /// gets exactly one answer in order — a decision or an error object — and nothing unreadable is allowed.
    /// </summary>
    public static async Task<Report> DecideAsync(string executable, IReadOnlyList<string> arguments, Func<HostileInputs.Case> next, long count)
    {
        var report = new Report("decide");
        var watch = Stopwatch.StartNew();
        // decide skips blank lines, as JSON-lines readers do; every other line gets exactly one answer, in order.
        // Bounded: a slow server holds the writer back instead of piling cases up in memory.
        var expected = System.Threading.Channels.Channel.CreateBounded<HostileInputs.Case>(4096);
        await using var decide = LineProcess.Start(executable, ["decide", .. arguments]);
        var reading = Task.Run(async () =>
        {
            await foreach (var input in expected.Reader.ReadAllAsync())
            {
                if (await decide.ReadLineAsync(TimeSpan.FromMinutes(2)) is not { } answer)
                {
                    report.Problem($"no answer (the process ended?) for {input}\n{Tail(decide.Stderr)}");
                    return;
                }
                report.Answers++;
                var verdict = FuzzAnswers.DecideVerdict(answer);
                if (verdict is null || answer.Contains("   at ", StringComparison.Ordinal))
                {
                    report.Problem($"answer {report.Answers}: not a decision or an error object: {FuzzAnswers.Shown(answer)}\n   for {input}");
                }
                else if (verdict == "allow" && input.MustNotAllow)
                {
                    report.Problem($"answer {report.Answers}: allowed although unreadable: {input}");
                }
                else if (verdict != "allow")
                {
                    report.Refused++;
                }
            }
        });
        for (var i = 0; i < count; i++)
        {
            var input = next();
            report.Inputs++;
            if (!input.Bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                await expected.Writer.WriteAsync(input);
            }
            await decide.WriteLineAsync(input.Bytes);
        }
        expected.Writer.Complete();
        await reading;
        var exit = await decide.CloseAsync(TimeSpan.FromMinutes(2));
        if (exit != 0)
        {
            report.Problem($"decide exited {exit}\n{Tail(decide.Stderr)}");
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    /// <summary>
    /// <c>governance serve</c> over stdio: JSON-RPC messages with ids 1..count written while responses are read; every id
    /// is answered exactly once, nothing else appears on stdout, and nothing unreadable is allowed.
    /// </summary>
    public static async Task<Report> StdioMcpAsync(string executable, IReadOnlyList<string> arguments, Func<int, HostileInputs.Case> next, int count)
    {
        var report = new Report("stdio MCP");
        var watch = Stopwatch.StartNew();
        var mustNotAllow = new bool[count + 1];
        var answered = new bool[count + 1];
        var families = new string[count + 1];
        // A message that is not JSON at all may have lost its id with the rest of it ("id":62 of "id":620...): JSON-RPC
        // answers those with a parse error and id null. Each such answer stands for one unparsable message.
        var unparsable = new bool[count + 1];
        var nullAnswers = 0;
        await using var mcp = LineProcess.Start(executable, ["serve", .. arguments]);
        await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}"""u8.ToArray());
        await mcp.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
        var reading = Task.Run(async () =>
        {
            var seen = 0;
            while (seen + nullAnswers < count + 1 && await mcp.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
            {
                if (FuzzAnswers.IdOf(line, allowNull: true) == -1 && line.Contains("\"code\":-32700", StringComparison.Ordinal))
                {
                    nullAnswers++;
                    continue;
                }
                if (FuzzAnswers.IdOf(line) is not { } id || id < 0 || id > count)
                {
                    report.Problem("not a JSON-RPC response with a request id: " + FuzzAnswers.Shown(line));
                    continue;
                }
                if (answered[id])
                {
                    report.Problem("answered twice: " + FuzzAnswers.Shown(line));
                    continue;
                }
                answered[id] = true;
                seen++;
                if (id == 0)
                {
                    continue;
                }
                report.Answers++;
                var verdict = FuzzAnswers.McpVerdict(line);
                if (line.Contains("   at ", StringComparison.Ordinal))
                {
                    report.Problem($"id {id}: a stack trace in the response: {FuzzAnswers.Shown(line)}");
                }
                else if (verdict == "allow" && Volatile.Read(ref mustNotAllow[id]))
                {
                    report.Problem($"id {id}: allowed although unreadable ({families[id]}): {FuzzAnswers.Shown(line)}");
                }
                else if (verdict != "allow")
                {
                    report.Refused++;
                }
            }
        });
        for (var id = 1; id <= count; id++)
        {
            var input = next(id);
            families[id] = input.Family;
            unparsable[id] = !HasReadableId(input.Bytes);
            Volatile.Write(ref mustNotAllow[id], input.MustNotAllow);
            report.Inputs++;
            await mcp.WriteLineAsync(input.Bytes);
        }
        await reading;
        var unanswered = Enumerable.Range(1, count).Where(id => !answered[id]).ToList();
        foreach (var id in unanswered.Where(id => !unparsable[id]))
        {
            report.Problem($"id {id}: never answered although its id was readable ({families[id]})");
        }
        if (unanswered.Count != nullAnswers)
        {
            report.Problem($"{unanswered.Count} message(s) went unanswered by id, but {nullAnswers} parse error(s) came back with id null");
        }
        report.Answers += nullAnswers;
        if (mcp.HasExited)
        {
            report.Problem("the server ended\n" + Tail(mcp.Stderr));
        }
        report.Elapsed = watch.Elapsed;
        return report;
    }

    private static bool HasReadableId(byte[] bytes)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.Number;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}
