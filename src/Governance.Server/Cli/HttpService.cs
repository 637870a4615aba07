using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Governance.Abstractions.Policy;
using Governance.Definitions.Loading;
using Governance.Server.Configuration;
using Governance.Server.Hooks;
using Governance.Server.Hosting;
using Governance.Server.Mcp;
using Governance.Server.Transport;
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
        builder.Services.AddHostedService<UnusablePolicyStop>();
        builder.Services.AddSingleton<McpMessageGuard>();
        ServeCommand.AddMcp(builder.Services, settings).WithHttpTransport();
        // Loopback only: the hooks carry commands and file contents. Bodies are bounded by the handlers themselves
        // (answered in each endpoint's own format); Kestrel's limit only stops a body past the drain limit.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = DrainLimit;
            kestrel.AddServerHeader = false;
        });
        await using var app = builder.Build();
        GovernanceHost.LogConfiguration(app.Services, settings);
        var apiKey = Environment.GetEnvironmentVariable(ApiKeyVariable);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Http");
        if (string.IsNullOrEmpty(apiKey))
        {
            logger.LogWarning("{Variable} is not set: any process on this machine may call the HTTP endpoints", ApiKeyVariable);
        }

        // Outermost: nothing below may answer with a stack trace (ASP.NET's developer page would, in development).
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(ex, "{Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
                await AnswerFailureAsync(http, settings, $"{ex.GetType().Name}: {ex.Message}");
            }
        });
        app.Use(async (http, next) =>
        {
            if (LoopbackOnly.Refusal(http.Request) is { } refused)
            {
                logger.LogWarning("Refused {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path.Value, refused);
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsJsonAsync(new { error = refused });
                return;
            }
            await next(http);
        });
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
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.StartsWithSegments("/mcp", StringComparison.Ordinal))
            {
                await GuardMcpAsync(http, next, settings);
                return;
            }
            await next(http);
        });

        app.MapGet("/health", (IPolicyProvider policy, PolicyReloader reloader) =>
        {
            // The policy's state, including a reload refused because a file is broken or others could have changed it.
            var status = reloader.Status;
            var usable = policy.Loaded.IsCompleted && !policy.Current.CoreOnly;
            return Results.Json(new
            {
                status = usable ? "ok" : policy.Loaded.IsCompleted ? "unavailable" : "starting",
                policy = new
                {
                    revision = policy.Current.Revision,
                    reloads = status.Reloads,
                    failed_reloads = status.FailedReloads,
                    last_reload_errors = status.LastReloadErrors.Select(e => e.ToString()).ToArray(),
                },
            }, statusCode: usable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        var hooks = app.MapGroup("/hooks");
        hooks.MapPost("/pre-tool-use", (HttpContext http, HookHandler handler, ConnectionSession session) => HandleHookAsync(http, handler, session, settings));
        hooks.MapPost("/post-tool-use", (HttpContext http, HookHandler handler, ConnectionSession session) => HandleHookAsync(http, handler, session, settings));
        app.MapMcp("/mcp");

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
        return Environment.ExitCode;
    }

    /// <summary>How much of an oversized body is read and thrown away so the sender still gets its answer (Claude Code runs the tool after a reset).</summary>
    private const long DrainLimit = 256L * 1024 * 1024;

    /// <summary>
    /// The body is the hook input Claude Code would give a command hook. The answer is always 200 with hook output:
    /// Claude Code runs the tool after any other status. A call governance cannot read is answered ask (deny over the
    /// size limit); governance's own failure gives no decision in fail-open and deny in fail-closed (hooks.fail_closed,
    /// or ?fail_closed=true in the hook's URL).
    /// </summary>
    private static async Task<IResult> HandleHookAsync(HttpContext http, HookHandler handler, ConnectionSession session, GovernanceSettings settings)
    {
        HookResult result;
        try
        {
            var body = await BoundedInput.ReadAsync(http.Request.Body, settings.Limits.MaxRequestBytes, DrainLimit, HookInput.NewScanner(), http.RequestAborted);
            result = await handler.HandleAsync(HookInput.From(body), session.Id, http.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException)
        {
            // A body that stops short (or lies about its length) cannot be reviewed: the call is not allowed.
            result = await handler.UnreviewedAsync(null, session.Id, $"the request body could not be read ({ex.Message})", overHardLimit: false, "", http.RequestAborted);
        }
        var answer = result.Problem is { } problem ? HookAnswer.Failure(problem, FailClosed(http, settings)) : result.Answer ?? [];
        return Results.Text(HookAnswer.Serialize(answer), "application/json");
    }

    private static bool FailClosed(HttpContext http, GovernanceSettings settings) =>
        settings.Hooks.FailClosed || string.Equals(http.Request.Query["fail_closed"], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The MCP message guard, before the SDK reads the body; a message it passes is handed on unchanged.</summary>
    private static async Task GuardMcpAsync(HttpContext http, RequestDelegate next, GovernanceSettings settings)
    {
        var guard = http.RequestServices.GetRequiredService<McpMessageGuard>();
        var scanner = McpMessageGuard.NewScanner();
        McpMessageGuard.Verdict verdict;
        BoundedInput body;
        try
        {
            body = await BoundedInput.ReadAsync(http.Request.Body, settings.Limits.MaxRequestBytes, DrainLimit, scanner, http.RequestAborted);
            verdict = await guard.InspectAsync(body.Bytes, body.TotalBytes, scanner, http.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException)
        {
            await WriteJsonAsync(http, StatusCodes.Status400BadRequest,
                $$$"""{"jsonrpc":"2.0","id":null,"error":{"code":{{{McpMessageGuard.InvalidRequest}}},"message":"Invalid request: the body could not be read"}}""");
            return;
        }
        if (verdict.Pass)
        {
            http.Request.Body = new MemoryStream(body.Bytes.ToArray(), writable: false);
            http.Request.ContentLength = body.Length;
            await next(http);
        }
        else if (verdict.Response is { } response)
        {
            var unmatched = verdict.IsProtocolError && response.AsSpan().IndexOf("\"id\":null"u8) >= 0;
            await WriteJsonAsync(http, unmatched ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetString(response));
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status202Accepted; // a notification: nothing to answer
        }
    }

    private static async Task WriteJsonAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(json);
    }

    /// <summary>The last line of defence: an answer in the endpoint's own format, without a stack trace.</summary>
    private static async Task AnswerFailureAsync(HttpContext http, GovernanceSettings settings, string problem)
    {
        if (http.Response.HasStarted)
        {
            http.Abort();
            return;
        }
        http.Response.Clear();
        if (http.Request.Path.StartsWithSegments("/hooks", StringComparison.Ordinal))
        {
            await WriteJsonAsync(http, StatusCodes.Status200OK, HookAnswer.Serialize(HookAnswer.Failure(problem, FailClosed(http, settings))));
        }
        else if (http.Request.Path.StartsWithSegments("/mcp", StringComparison.Ordinal))
        {
            await WriteJsonAsync(http, StatusCodes.Status500InternalServerError,
                """{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error: the governance server failed; see its log"}}""");
        }
        else
        {
            await WriteJsonAsync(http, StatusCodes.Status500InternalServerError, """{"error":"the governance server failed; see its log"}""");
        }
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
