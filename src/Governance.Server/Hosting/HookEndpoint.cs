using System.Net.Sockets;
using System.Text.Json.Nodes;
using Governance.Server.Configuration;
using Governance.Server.Hooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Hosting;

/// <summary>
/// The running server's door for command hooks: a Unix domain socket (owner-only) registered in .ports.json. A
/// `governance hook` process that finds it hands over its payload and prints the answer, instead of loading the
/// policy itself — a tool call then costs a process start and a socket round trip.
/// </summary>
internal sealed class HookEndpoint(HookHandler handler, ConnectionSession session, GovernanceSettings settings, TimeProvider time,
    ILogger<HookEndpoint> logger) : BackgroundService
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var registry = new ServerRegistry(settings.DataDirectory);
        var path = SocketPath(settings.DataDirectory);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RemoveDeadSockets(Path.GetDirectoryName(path)!);
            File.Delete(path);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // only this user's hooks may ask
            }
            listener.Listen(64);
            registry.Register(new ServerEntry
            {
                Pid = Environment.ProcessId,
                Endpoint = path,
                Root = settings.Root,
                Config = settings.ConfigPath,
                Started = time.GetUtcNow(),
            });
        }
        catch (Exception ex) when (ex is IOException or SocketException or UnauthorizedAccessException)
        {
            // Command hooks then decide in their own processes: slower, still correct.
            logger.LogWarning("Hook endpoint not available ({Problem}); command hooks will load the policy themselves", ex.Message);
            return;
        }
        logger.LogInformation("Hook endpoint listening on {SocketPath} (registered in {Registry})", path, registry.FilePath);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(stoppingToken);
                _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            TryCleanUp(registry, path);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        using (client)
        {
            HookResult result;
            try
            {
                using var reading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                reading.CancelAfter(ReadTimeout);
                HookInput hook;
                await using (var stream = new NetworkStream(client, ownsSocket: false))
                {
                    hook = await HookWire.ReceiveAsync(stream, settings.Limits.MaxRequestBytes, reading.Token);
                }
                result = await handler.HandleAsync(hook, session.Id, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "A forwarded hook call failed");
                result = HookResult.Failed($"{ex.GetType().Name}: {ex.Message}");
            }
            try
            {
                await HookWire.WriteAsync(client, System.Text.Encoding.UTF8.GetBytes(result.ToWire().ToJsonString()), stoppingToken);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                logger.LogDebug("A hook client went away before its answer: {Problem}", ex.Message);
            }
        }
    }

    private void TryCleanUp(ServerRegistry registry, string path)
    {
        try
        {
            registry.Unregister(Environment.ProcessId);
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not unregister the hook endpoint: {Problem}", ex.Message);
        }
    }

    // A server that was killed leaves its socket file behind; the next one to start sweeps them.
    private static void RemoveDeadSockets(string directory)
    {
        foreach (var socket in Directory.EnumerateFiles(directory, "governance-*.sock"))
        {
            var name = Path.GetFileNameWithoutExtension(socket);
            if (int.TryParse(name.AsSpan("governance-".Length), out var pid) && !ServerRegistry.IsAlive(pid))
            {
                File.Delete(socket);
            }
        }
    }

    /// <summary>Beside the database when the path fits a Unix socket address (107 bytes), else in the temp folder.</summary>
    internal static string SocketPath(string dataDirectory)
    {
        var name = $"governance-{Environment.ProcessId}.sock";
        var beside = Path.Combine(dataDirectory, "run", name);
        return System.Text.Encoding.UTF8.GetByteCount(beside) < 100 ? beside : Path.Combine(Path.GetTempPath(), "governance-run", name);
    }
}
