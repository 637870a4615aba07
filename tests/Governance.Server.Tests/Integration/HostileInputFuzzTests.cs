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
        var lines = Enumerable.Range(0, Cases).Select(_ => generator.DecideLine()).ToArray();
        // decide skips blank lines, as JSON-lines readers do; every other line gets exactly one answer, in order.
        var cases = lines.Where(c => !c.Bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r')).ToArray();
        await using var decide = LineProcess.Start(server.Executable, ["decide", "--root", _pack.Path, "--config", Config]);
        var reading = Task.Run(async () =>
        {
            var answers = new List<string>(cases.Length);
            while (answers.Count < cases.Length && await decide.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
            {
                answers.Add(line);
            }
            return answers;
        });
        foreach (var input in lines)
        {
            await decide.WriteLineAsync(input.Bytes);
        }
        var answers = await reading;
        var exit = await decide.CloseAsync(TimeSpan.FromMinutes(2));

        var problems = new List<string>();
        Assert.True(answers.Count == cases.Length, $"{answers.Count} answers for {cases.Length} lines (blank lines get none)\n{Tail(decide.Stderr)}");
        for (var i = 0; i < cases.Length; i++)
        {
            var verdict = DecideVerdict(answers[i]);
            if (verdict is null)
            {
                problems.Add($"line {i + 1}: not a decision or an error object: {Shown(answers[i])}\n   for {cases[i]}");
            }
            else if (verdict == "allow" && cases[i].MustNotAllow)
            {
                problems.Add($"line {i + 1}: allowed although unreadable: {cases[i]}");
            }
        }
        Assert.Equal(0, exit);
        Assert.DoesNotContain("   at ", string.Join('\n', answers), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, Report(problems));
    }

    [Fact]
    public async Task StdioMcp_HostileMessages_EveryRequestAnsweredWithItsIdNeverAllowedUnread()
    {
        var generator = Generator(Fakers.DefaultSeed + 1);
        var cases = Enumerable.Range(1, Cases).Select(id => (Id: id, Input: generator.JsonRpc(id))).ToArray();
        await using var mcp = LineProcess.Start(server.Executable, ["serve", "--root", _pack.Path, "--config", Config]);
        await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}"""u8.ToArray());
        await mcp.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
        var responses = new ConcurrentDictionary<long, string>();
        var strays = new ConcurrentBag<string>();
        var reading = Task.Run(async () =>
        {
            while (responses.Count < cases.Length + 1 && await mcp.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
            {
                if (IdOf(line) is { } id)
                {
                    if (!responses.TryAdd(id, line))
                    {
                        strays.Add("answered twice: " + Shown(line));
                    }
                }
                else
                {
                    strays.Add(Shown(line));
                }
            }
        });
        foreach (var (_, input) in cases)
        {
            await mcp.WriteLineAsync(input.Bytes);
        }
        await reading;

        var problems = strays.Select(s => "not a JSON-RPC response with a request id: " + s).ToList();
        foreach (var (id, input) in cases)
        {
            if (!responses.TryGetValue(id, out var response))
            {
                problems.Add($"id {id}: never answered: {input}");
                continue;
            }
            if (McpVerdict(response) == "allow" && input.MustNotAllow)
            {
                problems.Add($"id {id}: allowed although unreadable: {input}\n   {Shown(response)}");
            }
        }
        Assert.False(mcp.HasExited, "the server ended\n" + Tail(mcp.Stderr));
        Assert.DoesNotContain("   at ", string.Join('\n', responses.Values), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, Report(problems));
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
            var permission = HookPermission(body, out var wellFormed);
            if (response.StatusCode != HttpStatusCode.OK || !wellFormed)
            {
                problems.Add($"hook: {(int)response.StatusCode} {Shown(body)}\n   for {input}");
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
            if (status >= 500 || status == 413 || status is not (200 or 202 or 400 or 404) || status != 202 && IdOf(json, allowNull: true) is null && !json.Contains("\"id\":null", StringComparison.Ordinal))
            {
                problems.Add($"mcp: {status} {Shown(body)}\n   for {message.Input}");
            }
            else if (McpVerdict(json) == "allow" && message.Input.MustNotAllow)
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
            var permission = HookPermission(output, out var wellFormed);
            if (exit != 0 || !wellFormed || output.Contains('\n', StringComparison.Ordinal))
            {
                problems.Add($"exit {exit}: {Shown(output)} {Shown(stderr.ToString())}\n   for {input}");
            }
            else if (permission == "allow" && input.MustNotAllow)
            {
                problems.Add($"allowed although unreadable: {input}");
            }
        });

        Assert.True(problems.IsEmpty, Report(problems.ToList()));
        Assert.True(forwarded == cases.Length, $"{forwarded} of {cases.Length} hook calls were answered by the resident server");
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
            var permission = HookPermission(output, out var wellFormed);
            if (exit != 0 || !wellFormed || hook.Stderr.Contains("   at ", StringComparison.Ordinal))
            {
                problems.Add($"exit {exit}: {Shown(output)}\n{Tail(hook.Stderr)}\n   for {input}");
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
            Assert.Equal(expected, answers.Count(a => a is not null && DecideVerdict(a) is not null));
            if (size > 1)
            {
                Assert.NotEqual("allow", DecideVerdict(answers[0]!));
            }
        }

        // stdio MCP, with resident memory measured around the request
        await using (var mcp = LineProcess.Start(server.Executable, ["serve", "--root", _pack.Path, "--config", Config]))
        {
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}"""u8.ToArray());
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"consult_governance","arguments":{"operation":"Bash","context":{"command":"ls"}}}}"""u8.ToArray());
            Assert.NotNull(await ReadIdAsync(mcp, 1));
            var baseline = mcp.ResidentBytes();
            await mcp.WriteLineAsync(Sized(rpc));
            await mcp.WriteLineAsync("""{"jsonrpc":"2.0","id":8,"method":"ping"}"""u8.ToArray());
            var answer = size > 1 ? await ReadIdAsync(mcp, 7) : null;
            Assert.NotNull(await ReadIdAsync(mcp, 8));
            if (size > 1)
            {
                Assert.NotNull(answer);
                Assert.NotEqual("allow", McpVerdict(answer!));
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
        Assert.NotEqual("allow", HookPermission(body, out var wellFormed));
        Assert.True(wellFormed, body);
    }

    private static async Task<string?> ReadIdAsync(LineProcess process, long id)
    {
        while (await process.ReadLineAsync(TimeSpan.FromMinutes(2)) is { } line)
        {
            if (IdOf(line) == id)
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

    /// <summary>allow / ask / deny of a decide answer, "error" for an error object with an ask or deny fallback, null when neither.</summary>
    private static string? DecideVerdict(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("verdict", out var verdict) && verdict.GetString() is { } v && v is "allow" or "ask" or "deny")
            {
                return v;
            }
            return root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String &&
                   root.TryGetProperty("fallback", out var fallback) && fallback.GetString() is "ask" or "deny" ? "error" : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The permission a hook answer gives (null: no decision, governance failed); <paramref name="wellFormed"/> false when it is neither.</summary>
    private static string? HookPermission(string text, out bool wellFormed)
    {
        wellFormed = false;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.TryGetProperty("hookSpecificOutput", out var output))
            {
                var permission = output.GetProperty("permissionDecision").GetString();
                wellFormed = permission is "allow" or "ask" or "deny" && output.GetProperty("permissionDecisionReason").GetString()!.Length > 0;
                return permission;
            }
            wellFormed = root.TryGetProperty("systemMessage", out var message) && message.GetString()!.Length > 0;
            return null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>What a JSON-RPC response says about allowing: a decision's verdict, a hook answer's permission, else null.</summary>
    private static string? McpVerdict(string response)
    {
        try
        {
            using var document = JsonDocument.Parse(response);
            if (!document.RootElement.TryGetProperty("result", out var result))
            {
                return null;
            }
            if (result.TryGetProperty("structuredContent", out var structured) && structured.TryGetProperty("verdict", out var verdict))
            {
                return verdict.GetString();
            }
            if (result.TryGetProperty("content", out var content) && content.GetArrayLength() > 0 && content[0].TryGetProperty("text", out var text) &&
                text.GetString() is { } hook && hook.Contains("permissionDecision", StringComparison.Ordinal))
            {
                return HookPermission(hook, out _);
            }
            return null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static long? IdOf(string line, bool allowNull = false)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0" ||
                !(root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)) || !root.TryGetProperty("id", out var id))
            {
                return null;
            }
            return id.ValueKind == JsonValueKind.Number ? id.GetInt64() : allowNull && id.ValueKind == JsonValueKind.Null ? -1 : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shown(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    private static string Report(IReadOnlyList<string> problems) =>
        $"{problems.Count} problem(s) in {Cases} cases per transport; the first ones:\n" + string.Join('\n', problems.Take(15));
}
