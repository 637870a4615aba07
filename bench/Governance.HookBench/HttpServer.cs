using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Governance.HookBench;

/// <summary>`governance serve --transport http` on a free loopback port, posted to the way Claude Code's http hook posts.</summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private const string ApiKey = "hook-bench-key";
    private readonly Process _process;
    private readonly HttpClient _client = new();
    private readonly string _url;

    private HttpServer(Process process, string url)
    {
        _process = process;
        _url = url;
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public static async Task<HttpServer> StartAsync(string exe, string root, string config)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "serve", "--transport", "http", "--root", root, "--config", config })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["GOVERNANCE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["GOVERNANCE_API_KEY"] = ApiKey;
        var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new HttpServer(process, $"http://127.0.0.1:{port}");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                if ((await server._client.GetAsync(server._url + "/health")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the HTTP service did not answer /health within 30 s");
    }

    public async Task<string> PreToolUseAsync(string payload)
    {
        using var response = await _client.PostAsync(_url + "/hooks/pre-tool-use", new StringContent(payload, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(body)?["hookSpecificOutput"]?["permissionDecision"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
