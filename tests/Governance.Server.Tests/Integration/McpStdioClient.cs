using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Server.Tests.Integration;

/// <summary>A minimal MCP client over a real process's stdio: one long-lived connection, JSON-RPC by id.</summary>
public sealed class McpStdioClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Task _reader;
    private readonly Task<string> _stderr;
    private int _nextId;

    private McpStdioClient(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _reader = Task.Run(ReadLoopAsync);
    }

    private int _disposed;

    public string Stderr => _stderr.IsCompleted ? _stderr.Result : "(still running)";

    public static async Task<McpStdioClient> StartAsync(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var client = new McpStdioClient(Process.Start(info)!);
        await client.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "governance-tests", ["version"] = "1" },
        });
        await client.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
        return client;
    }

    public async Task<JsonElement> RequestAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        var response = await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (response.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"{method} failed: {error}");
        }
        return response.GetProperty("result");
    }

    /// <summary>Calls a tool; returns its structured content, or the parsed error object when isError.</summary>
    public async Task<(bool IsError, JsonElement Body)> CallToolAsync(string tool, JsonObject arguments)
    {
        var result = await RequestAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments });
        var isError = result.TryGetProperty("isError", out var flag) && flag.GetBoolean();
        var body = isError
            ? JsonDocument.Parse(result.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement
            : result.GetProperty("structuredContent");
        return (isError, body.Clone());
    }

    public async Task<JsonElement> ReadResourceAsync(string uri)
    {
        var result = await RequestAsync("resources/read", new JsonObject { ["uri"] = uri });
        return JsonDocument.Parse(result.GetProperty("contents")[0].GetProperty("text").GetString()!).RootElement.Clone();
    }

    /// <summary>Polls until <paramref name="condition"/> holds, or fails after <paramref name="within"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan within, string what)
    {
        var deadline = Stopwatch.StartNew();
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }
            await Task.Delay(100);
        }
        while (deadline.Elapsed < within);
        throw new TimeoutException($"{what} did not happen within {within.TotalSeconds:0} s; last: {last}");
    }

    private async Task SendAsync(JsonObject message)
    {
        await _process.StandardInput.WriteLineAsync(message.ToJsonString());
        await _process.StandardInput.FlushAsync();
    }

    private async Task ReadLoopAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            var message = JsonDocument.Parse(line).RootElement.Clone(); // anything but JSON on stdout fails the test loudly
            if (message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt32(), out var waiter))
            {
                waiter.TrySetResult(message);
            }
        }
    }

    /// <summary>Closes stdin and waits for the server to exit (it flushes its store as it stops); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _process.StandardInput.Close();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}
