using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Governance.HookBench;

/// <summary>
/// `governance serve` over stdio, called the way Claude Code's mcp_tool hook calls it: tools/call pre_tool_use on the
/// already-connected server, one request at a time.
/// </summary>
internal sealed class McpServer : IAsyncDisposable
{
    private readonly Process _process;
    private int _nextId;

    private McpServer(Process process) => _process = process;

    public static async Task<McpServer> StartAsync(string exe, string root, string config)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "serve", "--root", root, "--config", config })
        {
            info.ArgumentList.Add(argument);
        }
        var server = new McpServer(Process.Start(info)!);
        _ = server._process.StandardError.ReadToEndAsync(); // logs; drained so the pipe never fills
        await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "hook-bench", ["version"] = "1" },
        });
        await server.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        return server;
    }

    public async Task<string> PreToolUseAsync(string command, string toolUseId)
    {
        var result = await RequestAsync("tools/call", new JsonObject
        {
            ["name"] = "pre_tool_use",
            ["arguments"] = new JsonObject
            {
                ["tool_name"] = "Bash",
                ["command"] = command,
                ["cwd"] = "/home/dev/project",
                ["session_id"] = "hook-bench",
                ["tool_use_id"] = toolUseId,
            },
        });
        var text = result["content"]![0]!["text"]!.GetValue<string>();
        return JsonNode.Parse(text)!["hookSpecificOutput"]!["permissionDecision"]!.GetValue<string>();
    }

    private async Task<JsonNode> RequestAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var message = JsonNode.Parse(line)!;
            if (message["id"]?.GetValue<int>() == id)
            {
                return message["result"] ?? throw new InvalidOperationException($"{method} failed: {line}");
            }
        }
        throw new InvalidOperationException("the server closed its output");
    }

    private async Task SendAsync(JsonObject message)
    {
        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }
}
