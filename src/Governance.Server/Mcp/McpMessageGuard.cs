using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Core;
using Governance.Core.Validation;
using Governance.Server.Hooks;
using Governance.Server.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Governance.Server.Mcp;

/// <summary>
/// Stands before the MCP SDK on every transport (stdio lines, HTTP bodies) and answers what the SDK would drop or choke
/// on: messages over the hard size limit, invalid UTF-8, a byte order mark, malformed JSON, duplicate keys, deep
/// nesting, invalid ids (null, 1e99999), wrong types for the envelope or a method's parameters, text that is not valid
/// Unicode. A client never waits forever: a request gets a JSON-RPC error (-32700 / -32600 / -32602) with its id when
/// one can be found, else id null. A governance tool call that cannot be read is still a governance question: it is
/// recorded and answered like one — consult_* with the error object, pre_tool_use with the hook answer (ask, or deny
/// over the size limit) — because an mcp_tool hook that errors lets the tool run.
/// </summary>
internal sealed class McpMessageGuard(GovernanceEngine engine, HookHandler hooks, HookOptions hookOptions, ConnectionSession session,
    RequestLimits limits, ILogger<McpMessageGuard> logger)
{
    private static readonly string[] ScannedPaths =
        ["id", "method", "params.name", "params.arguments.tool_name", "params.arguments.session_id"];

    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int InvalidParams = -32602;

    public static JsonFieldScanner NewScanner() => new(ScannedPaths);

    /// <summary>What to do with one message.</summary>
    public readonly record struct Verdict(bool Pass, byte[]? Response, bool IsProtocolError)
    {
        public static readonly Verdict Forward = new(true, null, false);
        public static readonly Verdict Drop = new(false, null, false);
    }

    public async Task<Verdict> InspectAsync(ReadOnlyMemory<byte> message, long totalBytes, JsonFieldScanner scanner, CancellationToken cancellationToken)
    {
        var id = UsableId(scanner.Raw("id"));
        if (totalBytes > message.Length)
        {
            var problem = $"the message is {totalBytes} bytes, more than the hard limit of {limits.MaxRequestBytes} bytes (governance.limits.max_request_bytes); it was not read";
            return await RefuseAsync(id, InvalidRequest, problem, scanner, overHardLimit: true, message, cancellationToken);
        }
        using var document = StrictJson.TryParse(message, out var parseProblem);
        if (document is null)
        {
            return await RefuseAsync(id, ParseError, $"Parse error: the message {parseProblem}", scanner, overHardLimit: false, message, cancellationToken);
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Error(null, InvalidRequest, root.ValueKind == JsonValueKind.Array
                ? "Invalid request: JSON-RPC batches are not supported by MCP; send one message per line"
                : "Invalid request: a JSON-RPC message must be a JSON object");
        }
        if (Envelope(root, out var method, out var hasId) is { } envelope)
        {
            return Error(hasId && envelope.KeepId ? id : null, InvalidRequest, envelope.Message);
        }
        var findings = ContextShape.Inspect(root, limits with { MaxContextBytes = int.MaxValue, MaxContextDepth = StrictJson.DefaultMaxDepth });
        var paramsProblem = findings.InvalidText is { } invalid ? $"Invalid params: {invalid}" : method is null ? null : Params(method, root);
        if (paramsProblem is null)
        {
            return Verdict.Forward;
        }
        if (!hasId)
        {
            logger.LogWarning("Dropped an MCP notification {Method}: {Problem}", method, paramsProblem);
            return Verdict.Drop;
        }
        return await RefuseAsync(id, InvalidParams, paramsProblem, scanner, overHardLimit: false, message, cancellationToken);
    }

    private readonly record struct EnvelopeProblem(string Message, bool KeepId);

    private static EnvelopeProblem? Envelope(JsonElement root, out string? method, out bool hasId)
    {
        method = null;
        hasId = root.TryGetProperty("id", out var id);
        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return new("Invalid request: \"jsonrpc\" must be \"2.0\"", KeepId: true);
        }
        if (hasId && !(id.ValueKind == JsonValueKind.String && Decodes(id) || id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _)))
        {
            return new($"Invalid request: \"id\" must be a string or an integer (got {Describe(id)})", KeepId: false);
        }
        if (root.TryGetProperty("method", out var named))
        {
            if (named.ValueKind != JsonValueKind.String || !Decodes(named) || named.GetString()!.Length == 0)
            {
                return new("Invalid request: \"method\" must be a non-empty string", KeepId: true);
            }
            method = named.GetString();
            if (root.TryGetProperty("params", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
            {
                return new($"Invalid request: \"params\" must be an object (got {Describe(parameters)})", KeepId: true);
            }
            return null;
        }
        // Not a request: a response to one of the server's own requests needs an id and a result or an error.
        var isResponse = root.TryGetProperty("result", out _) ^ root.TryGetProperty("error", out _);
        return hasId && isResponse ? null : new("Invalid request: a message needs \"method\" (a request or notification) or \"result\"/\"error\" with an \"id\"", KeepId: true);
    }

    // The methods whose missing or mistyped parameters the SDK would not answer.
    private static string? Params(string method, JsonElement root)
    {
        var parameters = root.TryGetProperty("params", out var p) ? p : default;
        string? Need(string name, JsonValueKind kind, bool required = true)
        {
            if (parameters.ValueKind != JsonValueKind.Object)
            {
                return $"Invalid params: {method} needs a params object";
            }
            if (!parameters.TryGetProperty(name, out var value))
            {
                return required ? $"Invalid params: {method} needs params.{name}" : null;
            }
            return value.ValueKind == kind ? null : $"Invalid params: params.{name} of {method} must be {(kind == JsonValueKind.Object ? "an object" : "a string")} (got {Describe(value)})";
        }
        return method switch
        {
            "initialize" => Need("protocolVersion", JsonValueKind.String) ?? Need("capabilities", JsonValueKind.Object, required: false) ??
                            Need("clientInfo", JsonValueKind.Object, required: false),
            "tools/call" => Need("name", JsonValueKind.String) ?? Need("arguments", JsonValueKind.Object, required: false),
            "resources/read" or "resources/subscribe" or "resources/unsubscribe" => Need("uri", JsonValueKind.String),
            "prompts/get" => Need("name", JsonValueKind.String) ?? Need("arguments", JsonValueKind.Object, required: false),
            "logging/setLevel" => Need("level", JsonValueKind.String),
            "completion/complete" => Need("ref", JsonValueKind.Object) ?? Need("argument", JsonValueKind.Object),
            _ when parameters.ValueKind == JsonValueKind.Array => $"Invalid params: {method} takes a params object, not an array",
            _ => null,
        };
    }

    private async Task<Verdict> RefuseAsync(string? id, int code, string problem, JsonFieldScanner scanner, bool overHardLimit, ReadOnlyMemory<byte> message,
        CancellationToken cancellationToken)
    {
        var tool = scanner.Text("method") == "tools/call" ? scanner.Text("params.name") : null;
        if (id is null || tool is not ("consult_governance" or "consult_persona" or "pre_tool_use"))
        {
            return Error(id, code, problem);
        }
        var raw = StrictJson.Prefix(message.Span);
        CallToolResult result;
        if (tool == "pre_tool_use")
        {
            var hookSession = scanner.Text("params.arguments.session_id") is { Length: > 0 and <= 200 } named ? named : session.Id;
            var answer = await hooks.UnreviewedAsync(scanner.Text("params.arguments.tool_name"), hookSession, problem, overHardLimit, raw, cancellationToken);
            var hook = answer.Problem is { } failure ? HookAnswer.Failure(failure, hookOptions.FailClosed) : answer.Answer ?? [];
            result = new CallToolResult { Content = [new TextContentBlock { Text = HookAnswer.Serialize(hook) }] };
        }
        else
        {
            var decision = await engine.DecideAsync(new GovernanceRequest(tool, default, session.Id, InputError: $"the {tool} call could not be read: {problem}",
                OverHardLimit: overHardLimit, RawText: raw), cancellationToken);
            result = ToolResults.From(decision);
        }
        var response = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = JsonNode.Parse(id),
            ["result"] = JsonSerializer.SerializeToNode(result, McpJsonUtilities.DefaultOptions),
        };
        return new Verdict(false, Encoding.UTF8.GetBytes(response.ToJsonString()), IsProtocolError: false);
    }

    private static Verdict Error(string? id, int code, string message)
    {
        var response = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id is null ? null : JsonNode.Parse(id),
            ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
        };
        return new Verdict(false, Encoding.UTF8.GetBytes(response.ToJsonString()), IsProtocolError: true);
    }

    /// <summary>The raw id when it is one a client can match: a valid string or an integer; else null.</summary>
    private static string? UsableId(string? raw)
    {
        if (raw is null || raw.Length > 256)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(raw, StrictJson.Options());
            var id = document.RootElement;
            return id.ValueKind == JsonValueKind.String && Decodes(id) || id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out _) ? raw : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Decodes(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText().Length > 24 ? "a number out of range" : value.GetRawText(),
        JsonValueKind.String => Decodes(value) ? "a string" : "text that is not valid Unicode",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
