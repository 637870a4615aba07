using System.Text;
using System.Text.Json;
using Governance.Core;
using Governance.Core.Serialization;
using Governance.Server.Configuration;
using Governance.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance decide</c>: JSON lines <c>{"operation": ..., "context": {...}}</c> on stdin, one decision (or error
/// object) per line on stdout, through the same pipeline as the server. A bad line gets an error line; the rest go on.
/// </summary>
internal static class DecideCommand
{
    public static async Task<int> RunAsync(GovernanceSettings settings, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var builder = GovernanceHost.CreateBuilder(settings, "cli");
        using var host = builder.Build();
        GovernanceHost.LogConfiguration(host.Services, settings);
        await host.StartAsync(cancellationToken);
        var engine = host.Services.GetRequiredService<GovernanceEngine>();
        var session = host.Services.GetRequiredService<ConnectionSession>();

        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var decision = await engine.DecideAsync(Parse(line, lineNumber, session.Id), cancellationToken);
            await output.WriteLineAsync(GovernanceJson.Serialize(decision));
            await output.FlushAsync(cancellationToken);
        }
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    private static GovernanceRequest Parse(string line, int lineNumber, string sessionId)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 256 });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return Invalid($"line {lineNumber} is not valid JSON ({ex.Message}); send one object per line: {{\"operation\": \"Bash\", \"context\": {{\"command\": \"ls\"}}}}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid($"line {lineNumber} must be a JSON object like {{\"operation\": \"Bash\", \"context\": {{\"command\": \"ls\"}}}}");
        }
        if (!root.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String)
        {
            return Invalid($"line {lineNumber} has no \"operation\" string; add e.g. \"operation\": \"Bash\"");
        }
        root.TryGetProperty("context", out var context);
        return new GovernanceRequest(operation.GetString()!, context, sessionId);

        GovernanceRequest Invalid(string message) => new("", default, sessionId, InputError: message);
    }
}
