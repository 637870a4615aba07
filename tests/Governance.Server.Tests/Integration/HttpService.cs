using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Governance.Server.Tests.Integration;

/// <summary><c>governance serve --transport http</c> running on a free loopback port with an API key, for as long as a test needs it.</summary>
public sealed class HttpService : IAsyncDisposable
{
    private readonly Process _process;

    private HttpService(Process process, int port, string apiKey)
    {
        _process = process;
        Url = $"http://127.0.0.1:{port}";
        ApiKey = apiKey;
    }

    public string Url { get; }
    public string ApiKey { get; }

    public static async Task<HttpService> StartAsync(string executable, string root, string config, string apiKey = "test-key-0123456789")
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo(executable) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "serve", "--transport", "http", "--root", root, "--config", config })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["GOVERNANCE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["GOVERNANCE_API_KEY"] = apiKey;
        var process = Process.Start(info)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var service = new HttpService(process, port, apiKey);
        using var client = new HttpClient();
        await McpStdioClient.EventuallyAsync(async () =>
        {
            try
            {
                return (await client.GetAsync(service.Url + "/health")).StatusCode;
            }
            catch (HttpRequestException)
            {
                return HttpStatusCode.ServiceUnavailable;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "the HTTP service answers /health");
        return service;
    }

    private int _disposed;

    /// <summary>Stops the service the way systemd does (SIGTERM: it flushes its store and unregisters); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (!_process.HasExited)
        {
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
