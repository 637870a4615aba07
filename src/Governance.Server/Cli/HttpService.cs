using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Server.Configuration;
using Governance.Server.Hooks;
using Governance.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance serve --transport http</c>: the same server on 127.0.0.1 over HTTP — Streamable HTTP MCP at /mcp,
/// /health, and the Claude Code http hook endpoints /hooks/pre-tool-use and /hooks/post-tool-use. With
/// GOVERNANCE_API_KEY set every endpoint but /health wants <c>Authorization: Bearer &lt;key&gt;</c>.
/// </summary>
internal static class HttpService
{
    public const string ApiKeyVariable = "GOVERNANCE_API_KEY";

    public static async Task<int> RunAsync(GovernanceSettings settings, CancellationToken cancellationToken)
    {
        if (FreePort(settings) is not { } port)
        {
            await Console.Error.WriteLineAsync($"governance: no free port on 127.0.0.1 in {settings.Port} or {settings.PortRangeStart}-{settings.PortRangeEnd} (port.preferred, port.range_start, port.range_end)");
            return 2;
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = settings.Root, EnvironmentName = settings.Environment });
        GovernanceHost.AddGovernance(builder.Services, builder.Logging, settings, "http");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // a line per request drowns the decisions
        builder.Services.AddPolicyWatcher();
        ServeCommand.AddMcp(builder.Services, settings).WithHttpTransport();
        // Loopback only: the hooks carry commands and file contents.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        GovernanceHost.LogConfiguration(app.Services, settings);
        var apiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Http");
        if (string.IsNullOrEmpty(apiKey))
        {
            logger.LogWarning("{Variable} is not set: any process on this machine may call the HTTP endpoints", ApiKeyVariable);
        }

        app.MapGet("/health", () => Results.Json(new { status = "ok" }));
        var hooks = app.MapGroup("/hooks");
        hooks.MapPost("/pre-tool-use", (HttpContext http, HookHandler handler, ConnectionSession session) => HandleHookAsync(http, handler, session, settings, post: false));
        hooks.MapPost("/post-tool-use", (HttpContext http, HookHandler handler, ConnectionSession session) => HandleHookAsync(http, handler, session, settings, post: true));
        app.MapMcp("/mcp");
        if (!string.IsNullOrEmpty(apiKey))
        {
            app.Use(async (http, next) =>
            {
                if (http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) || Authorized(http.Request, apiKey))
                {
                    await next(http);
                    return;
                }
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await http.Response.WriteAsJsonAsync(new { error = $"send Authorization: Bearer <the server's {ApiKeyVariable}>" });
            });
        }

        await app.StartAsync(cancellationToken);
        var url = $"http://127.0.0.1:{port}";
        var registry = new ServerRegistry(settings.DataDirectory);
        registry.Register(new ServerEntry { Pid = Environment.ProcessId, Transport = "http", Endpoint = url, Root = settings.Root, Config = settings.ConfigPath, Started = DateTimeOffset.UtcNow });
        logger.LogInformation("Listening on {Url}: MCP at /mcp, hooks at /hooks/pre-tool-use and /hooks/post-tool-use", url);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            registry.Unregister(Environment.ProcessId);
        }
        return 0;
    }

    /// <summary>
    /// The body is the hook input Claude Code would give a command hook. The answer is always 200 with hook output:
    /// Claude Code runs the tool after any other status, so a failure is answered here — fail-open allows with a
    /// warning, fail-closed (hooks.fail_closed, or ?fail_closed=true in the hook's URL) denies.
    /// </summary>
    private static async Task<IResult> HandleHookAsync(HttpContext http, HookHandler handler, ConnectionSession session, GovernanceSettings settings, bool post)
    {
        var failClosed = settings.Hooks.FailClosed || string.Equals(http.Request.Query["fail_closed"], "true", StringComparison.OrdinalIgnoreCase);
        HookResult result;
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var hook = HookEvent.Parse(await reader.ReadToEndAsync(http.RequestAborted));
            result = hook.IsPost == post
                ? await handler.HandleAsync(hook, session.Id, http.RequestAborted)
                : HookResult.Failed($"{hook.EventName} was posted to {http.Request.Path}; use /hooks/{(hook.IsPost ? "post" : "pre")}-tool-use");
        }
        catch (HookInputException ex)
        {
            result = HookResult.Failed(ex.Message);
        }
        var answer = result.Problem is { } problem ? HookAnswer.Failure(problem, failClosed) : result.Answer ?? new JsonObject();
        return Results.Text(HookAnswer.Serialize(answer), "application/json");
    }

    private static bool Authorized(HttpRequest request, string apiKey)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Bearer.Length..]), Encoding.UTF8.GetBytes(apiKey));
    }

    /// <summary>port.preferred, else the first free port of port.range_start..range_end.</summary>
    private static int? FreePort(GovernanceSettings settings)
    {
        foreach (var candidate in Enumerable.Range(settings.PortRangeStart, Math.Max(0, settings.PortRangeEnd - settings.PortRangeStart + 1)).Prepend(settings.Port))
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, candidate);
                probe.Start();
                return candidate;
            }
            catch (SocketException)
            {
                // taken: try the next one
            }
        }
        return null;
    }
}
