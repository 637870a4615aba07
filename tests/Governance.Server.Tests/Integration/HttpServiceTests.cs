using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Governance.TestKit;
using LiteDB;

namespace Governance.Server.Tests.Integration;

/// <summary>The http hook path: <c>serve --transport http</c>, posted to the way Claude Code's http hooks post.</summary>
[Collection(PublishedServerCollection.Name)]
public sealed class HttpServiceTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-http").WithShippedPack();

    public void Dispose() => _pack.Dispose();

    private Task<HttpService> Start() => HttpService.StartAsync(server.Executable, _pack.Path, _pack.Combine("mcp_config.yaml"));

    private static async Task<(HttpStatusCode Status, string Body)> Post(HttpService service, string path, string body, bool withKey = true)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, service.Url + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (withKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", service.ApiKey);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private const string Dangerous = """{"session_id":"http-1","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git push --force origin main"},"tool_use_id":"toolu_h1"}""";

    [Fact]
    public async Task PreToolUse_WithKey_DeniesAndRecords_WithoutKeyRefused()
    {
        await using var service = await Start();

        var refused = await Post(service, "/hooks/pre-tool-use", Dangerous, withKey: false);
        var answered = await Post(service, "/hooks/pre-tool-use", Dangerous);
        var ran = await Post(service, "/hooks/post-tool-use",
            """{"session_id":"http-1","hook_event_name":"PostToolUseFailure","tool_name":"Bash","tool_use_id":"toolu_h1","error":"boom"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("GOVERNANCE_API_KEY", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, answered.Status);
        var output = JsonNode.Parse(answered.Body)!["hookSpecificOutput"]!;
        Assert.Equal("deny", output["permissionDecision"]!.GetValue<string>());
        Assert.StartsWith("Governance deny by git-steward", output["permissionDecisionReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ran.Status);
        Assert.Contains(service.Url, File.ReadAllText(_pack.Combine("data", ".ports.json")), StringComparison.Ordinal);
        await service.DisposeAsync(); // SIGTERM: flushes the store, unregisters
        Assert.DoesNotContain("\"pid\"", File.ReadAllText(_pack.Combine("data", ".ports.json")), StringComparison.Ordinal);
        using var database = new LiteDatabase($"Filename={_pack.Combine("data", "governance.db")};ReadOnly=true");
        var stored = Assert.Single(database.GetCollection("decisions").FindAll());
        Assert.Equal(("http-1", "toolu_h1", "deny"), (stored["session_id"].AsString, stored["tool_use_id"].AsString, stored["verdict"].AsString));
        Assert.Equal("failed", Assert.Single(database.GetCollection("outcomes").FindAll())["status"].AsString);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?fail_closed=true")]
    public async Task PreToolUse_UnreadableBody_AnsweredOkWithAskEitherWay(string query)
    {
        await using var service = await Start();

        var (status, body) = await Post(service, "/hooks/pre-tool-use" + query, "not json");

        // Claude Code runs the tool after any non-2xx answer: every answer is 200 in the hook format.
        Assert.Equal(HttpStatusCode.OK, status);
        var output = JsonNode.Parse(body)!["hookSpecificOutput"]!;
        Assert.Equal("ask", output["permissionDecision"]!.GetValue<string>());
        Assert.Contains("not valid JSON", output["permissionDecisionReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("?fail_closed=true", "deny")]
    public async Task PreToolUse_GovernanceFailure_NoDecisionFailOpenDenyFailClosed(string query, string? permission)
    {
        await using var service = await Start();

        var (status, body) = await Post(service, "/hooks/pre-tool-use" + query, """{"hook_event_name":"Stop","tool_name":"Bash"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(permission, answer["hookSpecificOutput"]?["permissionDecision"]?.GetValue<string>());
        Assert.Contains("'Stop' is not handled", answer["systemMessage"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_StreamableHttp_InitializeAnswersWithTheServerName()
    {
        await using var service = await Start();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, service.Url + "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", service.ApiKey);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("governance-server", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
