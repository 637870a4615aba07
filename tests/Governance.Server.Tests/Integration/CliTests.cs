using System.Text.Json;
using Governance.TestKit;
using LiteDB;

namespace Governance.Server.Tests.Integration;

/// <summary>The published executable's command line: decide, raw stdio hygiene, start-up errors.</summary>
[Collection(PublishedServerCollection.Name)]
public sealed class CliTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-cli").WithShippedPack();

    [Fact]
    public async Task Decide_JsonLines_OneAnswerPerLineAndBadLinesDoNotStopIt()
    {
        var input = string.Join('\n',
            """{"operation":"Bash","context":{"command":"rm -rf /"}}""",
            "this is not json",
            "",
            """{"operation":"Edit","context":{"file_path":"src/app.py","old_string":"a","new_string":"b"}}""",
            """{"context":{"command":"ls"}}""",
            """{"operation":"Bash","context":"ls"}""",
            """{"operation":"Bash","context":{"command":"ls"}}""") + "\n";

        var result = await server.RunAsync(["decide", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")], input);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(6, lines.Length);
        Assert.Equal("deny", lines[0].GetProperty("verdict").GetString());
        Assert.Contains("line 2 is not valid JSON", lines[1].GetProperty("error").GetString());
        Assert.Equal("file_edit", lines[2].GetProperty("kind").GetString());
        Assert.Contains("no \"operation\"", lines[3].GetProperty("error").GetString());
        Assert.Contains("context must be a JSON object", lines[4].GetProperty("error").GetString());
        Assert.Equal("allow", lines[5].GetProperty("verdict").GetString());

        using var database = new LiteDatabase($"Filename={_pack.Combine("data", "governance.db")};ReadOnly=true");
        var stored = database.GetCollection("decisions").FindAll().ToArray();
        Assert.Equal(6, stored.Length); // rejections are recorded too
        Assert.Equal(3, stored.Count(d => d["verdict"].AsString == "error"));
        var session = Assert.Single(database.GetCollection("sessions").FindAll());
        Assert.Equal(6, session["metrics"]["total_requests"].AsInt64);
        Assert.Equal(3, session["metrics"]["errors"].AsInt64);
    }

    [Fact]
    public async Task Serve_RawJsonRpc_StdoutCarriesOnlyProtocolAndLogsGoToStderr()
    {
        var requests = string.Join('\n',
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""",
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"consult_governance","arguments":{"operation":"Bash","context":{"command":"git status"}}}}""") + "\n";
        const string metricsRequest = """{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"governance://metrics"}}""" + "\n";

        // Keep stdin open until the answers are out, as a real client does; then close it and let the server exit.
        var info = new System.Diagnostics.ProcessStartInfo(server.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml") })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["LOG_LEVEL"] = "debug";
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(requests);
        await process.StandardInput.FlushAsync();
        var stdout = new List<string>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (stdout.Count < 3 && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                stdout.Add(line);
                if (stdout.Count == 2)
                {
                    // Ask for the metrics only once the decision is answered, so they must count it.
                    await process.StandardInput.WriteAsync(metricsRequest);
                    await process.StandardInput.FlushAsync(deadline.Token);
                }
            }
        }
        process.StandardInput.Close();
        stdout.AddRange((await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var result = new ProcessRunner.Result(process.ExitCode, string.Join('\n', stdout), await stderrTask);

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString());
        }
        Assert.Contains("Decision allow for Bash", result.Stderr);
        var metricsLine = lines.Single(l => JsonDocument.Parse(l).RootElement.TryGetProperty("id", out var id) && id.GetInt32() == 3);
        var metrics = JsonDocument.Parse(JsonDocument.Parse(metricsLine).RootElement.GetProperty("result").GetProperty("contents")[0].GetProperty("text").GetString()!).RootElement;
        Assert.Equal(1, metrics.GetProperty("overall").GetProperty("total_requests").GetInt64());
        Assert.Equal(1, metrics.GetProperty("session").GetProperty("metrics").GetProperty("total_requests").GetInt64());
    }

    [Fact]
    public async Task History_AfterDecisions_TableAndJsonLines()
    {
        string[] pack = ["--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")];
        var decided = await server.RunAsync(["decide", .. pack],
            """{"operation":"Bash","context":{"command":"rm -rf ~"}}""" + "\n" + """{"operation":"Bash","context":{"command":"git status"}}""" + "\n");
        Assert.True(decided.ExitCode == 0, decided.ToString());

        var table = await server.RunAsync(["history", "--last", "10", .. pack]);
        var json = await server.RunAsync(["history", "--verdict", "deny", "--json", .. pack]);
        var bad = await server.RunAsync(["history", "--verdict", "maybe", .. pack]);

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TIME (UTC)", lines[0]);
        Assert.Contains(lines, l => l.Contains("deny", StringComparison.Ordinal) && l.Contains("rm -rf ~", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("allow", StringComparison.Ordinal) && l.Contains("git status", StringComparison.Ordinal));
        Assert.StartsWith("2 decision(s); * = answered from the cache", lines[^1]);
        var denied = Assert.Single(json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("rm -rf ~", JsonDocument.Parse(denied).RootElement.GetProperty("subject").GetString());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("verdict 'maybe' is not one of allow, ask, deny, error", bad.Stderr);
    }

    [Fact]
    public async Task Serve_InvalidConfigValue_ExitsWithMessageNamingTheKey()
    {
        File.WriteAllText(_pack.Combine("mcp_config.yaml"), "cache:\n  type: mongo\n");

        var result = await server.RunAsync(["serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")], "");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cache.type: 'mongo' is not one of memory, none, redis", result.Stderr);
        Assert.Empty(result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
    }

    [Fact]
    public async Task Serve_PublishedFolder_CarriesPackAndConfig()
    {
        Assert.True(File.Exists(Path.Combine(server.Directory, "mcp_config.yaml")));
        Assert.True(Directory.Exists(Path.Combine(server.Directory, "personas")));
        Assert.True(Directory.Exists(Path.Combine(server.Directory, "rules")));

        // Without --root or --config the executable finds its own pack beside itself.
        var result = await server.RunAsync(["decide"], """{"operation":"Bash","context":{"command":"ls"}}""" + "\n",
            new Dictionary<string, string> { ["DATABASE_URL"] = _pack.Combine("beside.db") });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Path.Combine(server.Directory, "mcp_config.yaml"), result.Stderr);
        Assert.True(File.Exists(_pack.Combine("beside.db")));
    }

    public void Dispose() => _pack.Dispose();
}
