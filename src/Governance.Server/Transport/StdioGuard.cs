using System.IO.Pipelines;
using Governance.Core.Validation;
using Governance.Server.Mcp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Transport;

/// <summary>
/// The stdio MCP transport's front door: reads stdin as raw bytes, one line at a time with the hard size limit applied
/// before buffering, lets the <see cref="McpMessageGuard"/> judge each line, and hands the good ones to the SDK through
/// a pipe. The guard's own answers go to stdout between whole SDK messages.
/// </summary>
internal sealed class StdioGuard(StdioGuard.Channels channels, McpMessageGuard guard, RequestLimits limits, ILogger<StdioGuard> logger) : BackgroundService
{
    /// <summary>The streams the SDK's transport is built on: it reads <see cref="ToSdk"/>'s reader and writes <see cref="Stdout"/>.</summary>
    internal sealed class Channels(Stream stdin, Stream stdout)
    {
        public Stream Stdin { get; } = stdin;
        public Pipe ToSdk { get; } = new();
        public LineSerializedStream Stdout { get; } = new(stdout);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var writer = channels.ToSdk.Writer;
        try
        {
            var lines = new BoundedLineReader(channels.Stdin, limits.MaxRequestBytes, McpMessageGuard.NewScanner);
            while (await lines.ReadLineAsync(stoppingToken) is { } line)
            {
                if (!line.Truncated && line.Bytes.AsSpan().Trim(" \t\r"u8).IsEmpty)
                {
                    continue;
                }
                McpMessageGuard.Verdict verdict;
                try
                {
                    verdict = await guard.InspectAsync(line.Bytes, line.TotalBytes, line.Scanner!, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The MCP message guard failed on a {Bytes}-byte message; passing it to the SDK", line.TotalBytes);
                    verdict = McpMessageGuard.Verdict.Forward;
                }
                if (verdict.Pass)
                {
                    await writer.WriteAsync(line.Bytes, stoppingToken);
                    await writer.WriteAsync("\n"u8.ToArray(), stoppingToken);
                }
                else if (verdict.Response is { } response)
                {
                    await channels.Stdout.WriteLineAsync(response, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            logger.LogWarning("stdin closed: {Problem}", ex.Message);
        }
        finally
        {
            // End of stdin ends the SDK's session, and with it the server.
            await writer.CompleteAsync();
        }
    }
}
