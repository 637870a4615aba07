using System.Text.Json;
using Governance.Core;
using Governance.Core.Serialization;
using Governance.Core.Validation;
using Governance.Server.Configuration;
using Governance.Server.Hosting;
using Governance.Server.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance decide</c>: JSON lines <c>{"operation": ..., "context": {...}}</c> on stdin, one decision (or error
/// object) per line on stdout, through the same pipeline as the server. Lines are read as raw bytes with the hard size
/// limit applied before buffering. A bad line — too long, not UTF-8, not JSON, duplicate keys, wrong types — gets an
/// error line (recorded like any request) and the rest go on; nothing a line holds ends the batch.
/// </summary>
internal static class DecideCommand
{
    private const string Example = "{\"operation\": \"Bash\", \"context\": {\"command\": \"ls\"}}";

    public static async Task<int> RunAsync(GovernanceSettings settings, Stream input, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = GovernanceHost.CreateBuilder(settings, "cli");
        using var host = builder.Build();
        GovernanceHost.LogConfiguration(host.Services, settings);
        await host.StartAsync(cancellationToken);
        var engine = host.Services.GetRequiredService<GovernanceEngine>();
        var session = host.Services.GetRequiredService<ConnectionSession>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Decide");

        var lines = new BoundedLineReader(input, settings.Limits.MaxRequestBytes);
        var lineNumber = 0;
        while (await lines.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (!line.Truncated && line.Bytes.AsSpan().Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }
            string answer;
            try
            {
                var decision = await engine.DecideAsync(Parse(line, lineNumber, session.Id, settings.Limits), cancellationToken);
                answer = GovernanceJson.Serialize(decision);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The engine answers its own failures; this only guards the loop itself. The batch goes on.
                logger.LogError(ex, "decide: line {Line} could not be answered", lineNumber);
                answer = JsonSerializer.Serialize(new Abstractions.Decisions.GovernanceError
                {
                    Error = $"line {lineNumber} could not be answered ({ex.GetType().Name})",
                    Fallback = settings.Hooks.FailClosed ? "deny" : "ask",
                    CorrelationId = Guid.NewGuid().ToString(),
                    Timestamp = TimeProvider.System.GetUtcNow(),
                    Code = "internal_error",
                }, GovernanceJson.Options);
            }
            await output.WriteLineAsync(answer);
            await output.FlushAsync(cancellationToken);
        }
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    private static GovernanceRequest Parse(BoundedLineReader.Line line, int lineNumber, string sessionId, RequestLimits limits)
    {
        if (line.Truncated)
        {
            return new GovernanceRequest("", default, sessionId,
                InputError: $"line {lineNumber} is {line.TotalBytes} bytes, more than the hard limit of {limits.MaxRequestBytes} bytes (governance.limits.max_request_bytes); it was not read",
                OverHardLimit: true, RawText: StrictJson.Prefix(line.Bytes));
        }
        using var document = StrictJson.TryParse(line.Bytes, out var problem);
        if (document is null)
        {
            return Invalid($"line {lineNumber} {problem}; send one object per line: {Example}");
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"line {lineNumber} must be a JSON object like {Example}");
        }
        if (!root.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String)
        {
            return Invalid($"line {lineNumber} has no \"operation\" string; add e.g. \"operation\": \"Bash\"");
        }
        var name = OperationNormalizer.Text(root, "operation");
        if (name.Contains('\ufffd', StringComparison.Ordinal))
        {
            return Invalid($"line {lineNumber}: \"operation\" is not valid Unicode; use a kind or a Claude Code tool name such as Bash");
        }
        var context = root.TryGetProperty("context", out var found) ? found.Clone() : default;
        return new GovernanceRequest(name, context, sessionId);

        GovernanceRequest Invalid(string message) => new("", default, sessionId, InputError: message, RawText: StrictJson.Prefix(line.Bytes));
    }
}
