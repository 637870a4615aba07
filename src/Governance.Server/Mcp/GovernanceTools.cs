using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Storage;
using Governance.Core;
using Governance.Server.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Governance.Server.Mcp;

/// <summary>The MCP tools. Thin: each one hands its arguments to the engine or the store and shapes the result.</summary>
[McpServerToolType]
internal sealed class GovernanceTools(GovernanceEngine engine, IDecisionStore store, ConnectionSession session, TimeProvider time, Hooks.HookOptions hooks,
    Hooks.HookHandler hookHandler)
{
    private const string ContextHelp =
        "JSON object describing the operation: command (shell), file_path, content / old_string / new_string (edits), url, " +
        "cwd (workspace root), session_id, agent, description. A whole Claude Code PreToolUse payload (tool_name, tool_input, cwd, session_id) is accepted too.";

    [McpServerTool(Name = "consult_governance", UseStructuredContent = true, OutputSchemaType = typeof(Decision), ReadOnly = false, Idempotent = false)]
    [Description("Ask the governance panel before acting: may this command run, this file be edited, this URL be fetched, this tool be called? " +
                 "Returns verdict allow / ask / deny with confidence, each consulted persona's guidance, recommendations (what to do instead) and warnings. " +
                 "Only act on allow; on ask, get a person's confirmation; on deny, follow the recommendations instead.")]
    public async Task<CallToolResult> ConsultGovernance(
        [Description("What is about to happen: a kind (command_execution, file_edit, file_write, file_read, network_request, dependency_change, git_operation, deployment, tool_call) or a Claude Code tool name (Bash, Edit, MultiEdit, Write, Read, WebFetch, mcp__server__tool).")]
        string operation,
        [Description(ContextHelp)] JsonObject context,
        CancellationToken cancellationToken)
    {
        var decision = await engine.DecideAsync(new GovernanceRequest(operation, ToElement(context), session.Id), cancellationToken);
        return ToolResults.ForAgent(decision);
    }

    [McpServerTool(Name = "consult_persona", UseStructuredContent = true, OutputSchemaType = typeof(Decision), ReadOnly = false, Idempotent = false)]
    [Description("Ask one persona of the panel (for example security-reviewer or git-steward) about an operation, whatever its triggers. " +
                 "The governance_config resource lists the personas.")]
    public async Task<CallToolResult> ConsultPersona(
        [Description("The persona id, as listed in governance_config (kebab-case).")] string persona,
        [Description("What is about to happen: a kind or a Claude Code tool name, as for consult_governance.")] string operation,
        [Description(ContextHelp)] JsonObject context,
        CancellationToken cancellationToken)
    {
        var decision = await engine.DecideAsync(new GovernanceRequest(operation, ToElement(context), session.Id, persona ?? ""), cancellationToken);
        return ToolResults.From(decision);
    }

    [McpServerTool(Name = "get_historical_decisions", UseStructuredContent = true, OutputSchemaType = typeof(HistoryResult), ReadOnly = true, Idempotent = true)]
    [Description("Search recorded decisions, newest first. Every filter is optional and they combine.")]
    public async Task<CallToolResult> GetHistoricalDecisions(
        [Description("Only this session's decisions.")] string? session_id = null,
        [Description("Only this operation name or kind (e.g. Bash or command_execution).")] string? operation = null,
        [Description("Only this verdict: allow, ask, deny, or error for rejected requests.")] string? verdict = null,
        [Description("Case-insensitive text to find in the command, path, URL or summary.")] string? pattern = null,
        [Description("Only decisions at or after this time (ISO 8601, e.g. 2026-11-24T19:00:00Z).")] string? since = null,
        [Description("At most this many decisions (1-500, default 20).")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var query = HistoryQueryParser.Parse(session_id, operation, verdict, pattern, since, limit, out var error);
        if (query is null)
        {
            return ToolResults.Error(error!, "validation_error", time);
        }
        var records = await store.QueryAsync(query, cancellationToken);
        return ToolResults.Structured(new HistoryResult { Count = records.Count, Decisions = records.Select(HistoryEntry.From).ToArray() });
    }

    [McpServerTool(Name = "pre_tool_use", ReadOnly = false, Idempotent = false)]
    [Description("Claude Code PreToolUse hook (type mcp_tool): judges the tool call about to run and answers in the hook output format " +
                 "{\"hookSpecificOutput\": {\"hookEventName\": \"PreToolUse\", \"permissionDecision\": \"allow|ask|deny\", \"permissionDecisionReason\": \"...\"}}. " +
                 "Pass the hook's fields, e.g. {\"tool_name\": \"${tool_name}\", \"command\": \"${tool_input.command}\", \"file_path\": \"${tool_input.file_path}\", ...}.")]
    public async Task<CallToolResult> PreToolUse(
        [Description("The tool about to run: Bash, Edit, MultiEdit, Write, Read, WebFetch, mcp__server__tool, ...")] string tool_name,
        [Description("The whole tool_input object, when the client can pass it.")] JsonObject? tool_input = null,
        [Description("tool_input.command (Bash).")] string? command = null,
        [Description("tool_input.file_path (Edit, Write, Read).")] string? file_path = null,
        [Description("tool_input.content (Write).")] string? content = null,
        [Description("tool_input.old_string (Edit).")] string? old_string = null,
        [Description("tool_input.new_string (Edit).")] string? new_string = null,
        [Description("tool_input.url (WebFetch).")] string? url = null,
        [Description("The session's working directory.")] string? cwd = null,
        [Description("Claude Code's session id.")] string? session_id = null,
        [Description("The id of this tool call.")] string? tool_use_id = null,
        CancellationToken cancellationToken = default)
    {
        var payload = Hooks.HookPayload.From(tool_name ?? "", tool_input,
            [("command", command), ("file_path", file_path), ("content", content), ("old_string", old_string), ("new_string", new_string), ("url", url)],
            [("cwd", cwd), ("session_id", session_id), ("tool_use_id", tool_use_id)]);
        var result = await hookHandler.HandleAsync(Hooks.HookPayload.Input(payload), session.Id, cancellationToken);
        var answer = result.Problem is { } problem ? Hooks.HookAnswer.Failure(problem, hooks.FailClosed) : result.Answer ?? [];
        return new CallToolResult { Content = [new TextContentBlock { Text = Hooks.HookAnswer.Serialize(answer) }] };
    }

    [McpServerTool(Name = "post_tool_use", ReadOnly = false, Idempotent = false)]
    [Description("Claude Code PostToolUse / PostToolUseFailure hook (type mcp_tool): records what an allowed tool call did (ran, failed, interrupted) " +
                 "beside its decision, matched by tool_use_id. Pass {\"hook_event_name\": \"${hook_event_name}\", \"tool_name\": \"${tool_name}\", \"tool_use_id\": \"${tool_use_id}\", ...}.")]
    public async Task<CallToolResult> PostToolUse(
        [Description("The tool that ran.")] string tool_name,
        [Description("The id of the tool call, as in its PreToolUse decision.")] string tool_use_id,
        [Description("PostToolUse (default) or PostToolUseFailure.")] string? hook_event_name = null,
        [Description("Claude Code's session id.")] string? session_id = null,
        [Description("PostToolUseFailure: the error.")] string? error = null,
        [Description("PostToolUseFailure: true when the user interrupted the call.")] string? is_interrupt = null,
        [Description("PostToolUse: tool_response.interrupted.")] string? interrupted = null,
        CancellationToken cancellationToken = default)
    {
        var payload = Hooks.HookPayload.Post(tool_name ?? "", [("hook_event_name", hook_event_name), ("session_id", session_id), ("tool_use_id", tool_use_id),
            ("error", error), ("is_interrupt", is_interrupt), ("interrupted", interrupted)]);
        var recorded = await hookHandler.HandleAsync(Hooks.HookPayload.Input(payload), session.Id, cancellationToken);
        return recorded.Problem is { } problem
            ? ToolResults.Error(problem + "; pass \"tool_use_id\": \"${tool_use_id}\"", "validation_error", time)
            : new CallToolResult { Content = [new TextContentBlock { Text = "{\"suppressOutput\":true}" }] };
    }

    private static JsonElement ToElement(JsonObject? context) =>
        context is null ? default : JsonSerializer.SerializeToElement(context);
}
