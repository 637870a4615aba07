using Governance.Core;
using Governance.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Governance.Server.Mcp;

/// <summary>
/// Arguments the SDK cannot bind (context not an object, a missing operation) throw inside the tool call and
/// would come back as a generic "An error occurred invoking" text. This filter answers them with the seed
/// error object naming what was wrong, and sends the consult_* rejection through the engine so it is recorded
/// like any other request.
/// </summary>
internal static class ArgumentErrorFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                // Binding failed: answer with the structured error below.
            }
            var tool = context.Params?.Name ?? "the tool";
            var message = tool switch
            {
                "consult_governance" => "the arguments of consult_governance could not be read: operation must be a string and context a JSON object, " +
                                        "for example {\"operation\": \"Bash\", \"context\": {\"command\": \"ls -la\"}}",
                "consult_persona" => "the arguments of consult_persona could not be read: persona and operation must be strings and context a JSON object, " +
                                     "for example {\"persona\": \"git-steward\", \"operation\": \"Bash\", \"context\": {\"command\": \"git push\"}}",
                _ => $"the arguments of {tool} could not be read; check their names and types against the tool's input schema",
            };
            var services = context.Services;
            if (tool.StartsWith("consult_", StringComparison.Ordinal) && services?.GetService<GovernanceEngine>() is { } engine &&
                services.GetService<ConnectionSession>() is { } session)
            {
                var rejected = await engine.DecideAsync(new GovernanceRequest(tool, default, session.Id, InputError: message), cancellationToken);
                return ToolResults.From(rejected);
            }
            return ToolResults.Error(message, "validation_error", TimeProvider.System);
        };
}
