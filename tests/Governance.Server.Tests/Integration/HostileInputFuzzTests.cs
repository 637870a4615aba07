using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Governance.Server.Cli;
using Governance.Server.Configuration;
using Governance.TestKit;
using Governance.TestKit.Fuzz;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// Seeded fuzzing of every transport with hostile input (<see cref="HostileInputs"/>: Bogus requests put through
/// structural and textual mutations), 10,000 inputs each by default (GOVERNANCE_FUZZ_CASES overrides; bench/Governance.FuzzBench
/// runs a million). Every input gets an answer in its transport's format — a decision or a structured error — never a
/// stack trace, never silence, and nothing governance could not fully read is allowed. The pack runs with small size
/// limits so that "over the limit" cases stay cheap to send.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class HostileInputFuzzTests(PublishedServer server) : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("GOVERNANCE_FUZZ_CASES"), out var n) ? n : 10_000;
    private readonly TempDirectory _pack = WithSmallLimits(new TempDirectory("governance-fuzz").WithShippedPack());

    public void Dispose() => _pack.Dispose();

    private string Config => _pack.Combine("mcp_config.yaml");

    private static TempDirectory WithSmallLimits(TempDirectory pack)
    {
        var config = pack.Combine("mcp_config.yaml");
        File.WriteAllText(config, File.ReadAllText(config)
            .Replace("max_context_bytes: 1048576", "max_context_bytes: 16384", StringComparison.Ordinal)
            .Replace("max_request_bytes: 4194304", $"max_request_bytes: {MaxRequestBytes}", StringComparison.Ordinal));
        return pack;
    }

    private static HostileInputs Generator(int seed) => new(seed, MaxRequestBytes);

    [Fact]
    public async Task Decide_HostileLines_OneAnswerEachNeverAllowedUnreadNoStackTrace()
    {
        var generator = Generator(Fakers.DefaultSeed);

        var report = await FuzzRun.DecideAsync(server.Executable, ["--root", _pack.Path, "--config", Config], generator.DecideLine, Cases);

        Assert.True(report.ProblemCount == 0, report.ToString());
        Assert.Equal(Cases, report.Inputs);
        Assert.True(report.Answers > Cases * 9 / 10, report.ToString());
    }

    [Fact]
    public async Task StdioMcp_HostileMessages_EveryRequestAnsweredWithItsIdNeverAllowedUnread()
    {
        var generator = Generator(Fakers.DefaultSeed + 1);

        var report = await FuzzRun.StdioMcpAsync(server.Executable, ["--root", _pack.Path, "--config", Config], generator.JsonRpc, Cases);

        Assert.True(report.ProblemCount == 0, report.ToString());
        Assert.Equal(Cases, report.Answers);
    }

    [Fact]
    public async Task Http_HostileBodies_AnsweredInEachEndpointsFormatNever5xxNeverAllowedUnread()
    {
        var generator = Generator(Fakers.DefaultSeed + 2);
        await using var service = await HttpService.StartAsync(server.Executable, _pack.Path, Config);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.ApiKey);
        var session = await InitializeAsync(client, service.Url);
        var hooks = Enumerable.Range(0, Cases).Select(_ => generator.HookPayload()).ToArray();
        var messages = Enumerable.Range(1, Cases).Select(id => (Id: id, Input: generator.JsonRpc(id))).ToArray();
        var problems = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(hooks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (input, token) =>
        {
            using var content = new ByteArrayContent(input.Bytes);
            using var response = await client.PostAsync(service.Url + "/hooks/pre-tool-use", content, token);
            var body = await response.Content.ReadAsStringAsync(token);
            var permission = FuzzAnswers.HookPermission(body, out var wellFormed);
            if (response.StatusCode != HttpStatusCode.OK || !wellFormed)
            {
                problems.Add($"hook: {(int)response.StatusCode} {FuzzAnswers.Shown(body)}\n   for {input}");
            }
            else if (permission == "allow" && input.MustNotAllow)
            {
                problems.Add($"hook: allowed although unreadable: {input}");
            }
        });
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, service.Url + "/mcp") { Content = new ByteArrayContent(message.Input.Bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
            using var response = await client.SendAsync(request, token);
            var body = await response.Content.ReadAsStringAsync(token);
            var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? SseData(body) : body;
            var status = (int)response.StatusCode;
            if (status >= 500 || status == 413 || status is not (200 or 202 or 400 or 404) || status != 202 && FuzzAnswers.IdOf(json, allowNull: true) is null && !json.Contains("\"id\":null", StringComparison.Ordinal))
            {
                problems.Add($"mcp: {status} {FuzzAnswers.Shown(body)}\n   for {message.Input}");
            }
            else if (FuzzAnswers.McpVerdict(json) == "allow" && message.Input.MustNotAllow)
            {
                problems.Add($"mcp: allowed although unreadable: {message.Input}");
            }
        });

        Assert.True(problems.IsEmpty, Report(problems.ToList()));
    }

    [Fact]
    public async Task CommandHook_HostilePayloads_ForwardedAndAnsweredInHookFormatNeverAllowedUnread()
    {
        var generator = Generator(Fakers.DefaultSeed + 3);
        var cases = Enumerable.Range(0, Cases).Select(_ => generator.HookPayload()).ToArray();
        // The resident server the hook hands its payload to, as Claude Code starts it from .mcp.json.
        await using var resident = LineProcess.Start(server.Executable, ["serve", "--root", _pack.Path, "--config", Config]);
        await McpStdioClient.EventuallyAsync(() => Task.FromResult(File.Exists(_pack.Combine("data", ".ports.json")) &&
            File.ReadAllText(_pack.Combine("data", ".ports.json")).Contains("\"unix\"", StringComparison.Ordinal)), up => up, TimeSpan.FromSeconds(90),
            "the resident server registers its hook socket");
        var problems = new ConcurrentBag<string>();
        var forwarded = 0;

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (input, token) =>
        {
            using var stdin = new MemoryStream(input.Bytes);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await HookCommand.RunAsync(() => ConfigLoader.Load(Config, _pack.Path, Environment.GetEnvironmentVariable), failClosedOption: false,
                forward: true, stdin, stdout, stderr, token);
            var output = stdout.ToString().Trim();
            if (stderr.ToString().Contains("answered by the running server", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref forwarded);
            }
            var permission = FuzzAnswers.HookPermission(output, out var wellFormed);
            if (exit != 0 || !wellFormed || output.Contains('\n', StringComparison.Ordinal))
            {
                problems.Add($"exit {exit}: {FuzzAnswers.Shown(output)} {FuzzAnswers.Shown(stderr.ToString())}\n   for {input}");
            }
            else if (permission == "allow" && input.MustNotAllow)
            {
                problems.Add($"allowed although unreadable: {input}");
            }
        });

        Assert.True(problems.IsEmpty, Report(problems.ToList()));
        // A hook that cannot reach the resident server within its connect timeout (a busy machine) decides in-process with
        // the same policy: the answer is the same, only who gave it differs. Nearly all must still be forwarded.
        Assert.True(forwarded >= cases.Length * 95 / 100, $"only {forwarded} of {cases.Length} hook calls were answered by the resident server");
    }

    [Fact]
    public async Task CommandHook_PublishedExecutable_HostilePayloadsOverRealStdin()
    {
        var generator = Generator(Fakers.DefaultSeed + 4);
        var problems = new List<string>();
        foreach (var input in Enumerable.Range(0, 40).Select(_ => generator.HookPayload()))
        {
            await using var hook = LineProcess.Start(server.Executable, ["hook", "--root", _pack.Path, "--config", Config]);
            await hook.WriteLineAsync(input.Bytes);
            var exit = await hook.CloseAsync(TimeSpan.FromMinutes(1));
            var output = await hook.ReadLineAsync(TimeSpan.FromSeconds(1)) ?? "";
            var permission = FuzzAnswers.HookPermission(output, out var wellFormed);
            if (exit != 0 || !wellFormed || hook.Stderr.Contains("   at ", StringComparison.Ordinal))
            {
                problems.Add($"exit {exit}: {FuzzAnswers.Shown(output)}\n{Tail(hook.Stderr)}\n   for {input}");
            }
            else if (permission == "allow" && input.MustNotAllow)
            {
                problems.Add($"allowed although unreadable: {input}");
            }
        }
        Assert.True(problems.Count == 0, Report(problems));
    }

    public static TheoryData<int> BodySizes => new() { 0, 1, 1024, 1024 * 1024, 10 * 1024 * 1024, 100 * 1024 * 1024 };

    [Theory]
    [MemberData(nameof(BodySizes))]
    public async Task AllTransports_BodiesFromZeroTo100MB_AnsweredAndMemoryReturns(int size)
    {
        var padding = new string('A', Math.Max(0, size - 200));
        var hook = Encoding.UTF8.GetBytes($$$"""{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"rm -rf ~ # {{{padding}}}"}}""");
        var line = Encoding.UTF8.GetBytes($$$"""{"operation":"Bash","context":{"command":"rm -rf ~ # {{{padding}}}"}}""");
        var rpc = Encoding.UTF8.GetBytes($$$$$"""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"consult_governance","arguments":{"operation":"Bash","context":{"command":"rm -rf ~ # {{{{{padding}}}}}"}}}}""");
        byte[] Sized(byte[] bytes) => size == 0 ? [] : size == 1 ? "{"u8.ToArray() : bytes;

        // decide
        await using (var decide = LineProcess.Start(server.Executable, ["decide", "--root", _pack.Path, "--config", Config]))
        {
            await decide.WriteLineAsync(Sized(line));
            await decide.WriteLineAsync("""{"operation":"Bash","context":{"command":"ls"}}"""u8.ToArray());
            var answers = new[] { await decide.ReadLineAsync(TimeSpan.FromMinutes(2)), await decide.ReadLineAsync(TimeSpan.FromMinutes(2)) };
            Assert.Equal(0, await decide.CloseAsync(TimeSpan.FromMinutes(1)));
            var expected = size == 0 ? 1 : 2; // a blank line gets no answer
            Assert.Equal(expected, answers.Count(a => a is not null && FuzzAnswers.DecideVerdict(a) is not null));
            if (size > 1)
            {
                Assert.NotEqual("allow", FuzzAnswers.DecideVerdict(answers[0]!));
            }
        }

        // stdio MCP, with resident memory measured around the request
        await using (var mcp = LineProcess.Start(server.Executable, ["serve", "--root", _pack.Path, "--config", Config]))
        {
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}"""u8.ToArray());
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"consult_governance","arguments":{"operation":"Bash","context":{"command":"ls"}}}}"""u8.ToArray());
            Assert.True(await ReadIdAsync(mcp, 1) is not null,
                $"the first tool call was not answered (server {(mcp.HasExited ? "exited" : "running")}):\n{Tail(mcp.Stderr)}");
            var baseline = mcp.ResidentBytes();
            await mcp.WriteLineAsync(Sized(rpc));
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":8,"method":"ping"}"""u8.ToArray());
            // Requests are served concurrently: the ping's answer may come before the tool call's.
            var answers = await ReadIdsAsync(mcp, size > 1 ? [7, 8] : [8]);
            Assert.True(answers.ContainsKey(8), "the ping after the request was not answered");
            if (size > 1)
            {
                Assert.True(answers.TryGetValue(7, out var answer), $"the {size}-byte tool call was not answered");
                Assert.NotEqual("allow", FuzzAnswers.McpVerdict(answer));
            }
            var after = mcp.ResidentBytes();
            Assert.True(after <= baseline * 1.2, $"resident memory {after / 1024 / 1024} MB after a {size}-byte request, {baseline / 1024 / 1024} MB before");
        }

        // HTTP hook endpoint
        await using var service = await HttpService.StartAsync(server.Executable, _pack.Path, Config);
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", service.ApiKey);
        using var content = new ByteArrayContent(Sized(hook));
        using var response = await client.PostAsync(service.Url + "/hooks/pre-tool-use", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("allow", FuzzAnswers.HookPermission(body, out var wellFormed));
        Assert.True(wellFormed, body);
    }

    private static async Task<Dictionary<long, string>> ReadIdsAsync(LineProcess process, long[] ids)
    {
        var answers = new Dictionary<long, string>();
        while (answers.Count < ids.Length && await process.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            if (FuzzAnswers.IdOf(line) is { } id && ids.Contains(id))
            {
                answers[id] = line;
            }
        }
        return answers;
    }

    private static async Task<string?> ReadIdAsync(LineProcess process, long id)
    {
        while (await process.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            if (FuzzAnswers.IdOf(line) == id)
            {
                return line;
            }
        }
        return null;
    }

    private static async Task<string> InitializeAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.TryGetValues("Mcp-Session-Id", out var values) ? values.First() : "";
    }

    private static string SseData(string body) =>
        string.Join("", body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()));





    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    private static string Report(IReadOnlyList<string> problems) =>
        $"{problems.Count} problem(s) in {Cases} cases per transport; the first ones:\n" + string.Join('\n', problems.Take(15));
}
