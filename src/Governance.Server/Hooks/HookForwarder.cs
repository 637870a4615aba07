using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Governance.Server.Hooks;

/// <summary>
/// The command hook's fast path: hand the payload to a running server on the same pack, configuration and database
/// (found in .ports.json) and take its answer. Any trouble (no server, a stale entry, a slow answer) returns null and
/// the hook decides in its own process.
/// </summary>
internal static class HookForwarder
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private const int MaxAnswerBytes = 1024 * 1024;

    public static async Task<(HookResult Result, int Pid)?> TryForwardAsync(string dataDirectory, string root, string? config, HookInput payload,
        TextWriter log, CancellationToken cancellationToken)
    {
        foreach (var server in new ServerRegistry(dataDirectory).Read().Where(s => s.Transport == "unix" && s.Serves(root, config)).OrderByDescending(s => s.Started))
        {
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    connecting.CancelAfter(ConnectTimeout);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(server.Endpoint), connecting.Token);
                }
                using var answering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                answering.CancelAfter(AnswerTimeout);
                await HookWire.SendAsync(socket, payload, answering.Token);
                socket.Shutdown(SocketShutdown.Send);
                var answer = await HookWire.ReadToEndAsync(socket, MaxAnswerBytes, answering.Token);
                if (HookResult.FromWire(JsonNode.Parse(answer)) is { } result)
                {
                    return (result, server.Pid);
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                await log.WriteLineAsync($"governance hook: the server (pid {server.Pid}) at {server.Endpoint} did not answer ({ex.Message}); deciding here");
            }
        }
        return null;
    }
}
