using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Storage;
using Governance.Core;
using Governance.Core.Validation;

namespace Governance.Server.Hooks;

/// <summary>
/// One hook call through the pipeline, the same on every path (the command hook in its own process, the running
/// server's hook socket, the HTTP hook endpoints, the mcp_tool hook). PreToolUse is decided and answered in the hook
/// output format; PostToolUse and PostToolUseFailure are recorded. A payload governance cannot read — too large,
/// not UTF-8, not JSON, duplicate keys, no tool — is still recorded and answered ask (deny over the hard size limit),
/// never allow. Only governance's own failures come back as a problem for the caller's fail-open/fail-closed.
/// </summary>
internal sealed class HookHandler(GovernanceEngine engine, IDecisionStore store, RequestLimits limits, TimeProvider time)
{
    public async Task<HookResult> HandleAsync(HookInput input, string sessionId, CancellationToken cancellationToken)
    {
        var session = input.Field("session_id") is { Length: > 0 and <= 200 } fromPayload ? fromPayload : sessionId;
        if (IsPost(input) && input.Truncated)
        {
            return await RecordOutcomeAsync(input, store, sessionId, time.GetUtcNow(), cancellationToken);
        }
        if (input.Truncated)
        {
            return await OversizedAsync(input, session, cancellationToken);
        }
        using var document = StrictJson.TryParse(input.Payload, out var problem, StrictJson.DefaultMaxDepth);
        if (document is null)
        {
            return await UnreadableAsync(input, session, $"the hook payload {problem}", cancellationToken);
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return await UnreadableAsync(input, session, "the hook payload must be a JSON object with hook_event_name, tool_name and tool_input", cancellationToken);
        }
        var eventName = root.TryGetProperty("hook_event_name", out var named) ? OperationNormalizer.Text(root, "hook_event_name") : HookEvent.PreToolUse;
        if (named.ValueKind is not (JsonValueKind.String or JsonValueKind.Undefined))
        {
            return await UnreadableAsync(input, session, "hook_event_name must be a string (PreToolUse, PostToolUse or PostToolUseFailure)", cancellationToken);
        }
        if (!HookEvent.IsKnownEvent(eventName))
        {
            // A hook registered for another event is a configuration mistake, not a call to judge.
            return HookResult.Failed($"hook_event_name '{Shown(eventName)}' is not handled; register governance for PreToolUse, PostToolUse and PostToolUseFailure only");
        }
        var toolName = OperationNormalizer.Text(root, "tool_name");
        if (HookEvent.IsPostEvent(eventName))
        {
            return await RecordOutcomeAsync(new HookEvent(eventName, toolName, root), store, sessionId, time.GetUtcNow(), cancellationToken);
        }
        if (toolName.Length == 0 || root.GetProperty("tool_name").ValueKind != JsonValueKind.String)
        {
            return await UnreadableAsync(input, session, "the hook payload has no tool_name string; Claude Code's PreToolUse input names the tool about to run", cancellationToken);
        }
        if (!root.TryGetProperty("tool_input", out var toolInput) || toolInput.ValueKind != JsonValueKind.Object)
        {
            return await UnreadableAsync(input, session, "the hook payload has no tool_input object; Claude Code's PreToolUse input carries the tool's arguments in it", cancellationToken);
        }
        var decision = await engine.DecideAsync(new GovernanceRequest(toolName, root.Clone(), sessionId), cancellationToken);
        return Answer(decision);
    }

    /// <summary>
    /// PostToolUse / PostToolUseFailure needs no policy: a hook process records it without loading one, when the payload
    /// parses (or was too large to keep: a tool's whole output rides along, and its top-level fields are recorded).
    /// Returns null when the payload needs the full handler.
    /// </summary>
    public static async Task<HookResult?> TryPostWithoutPolicyAsync(HookInput input, IDecisionStore store, string sessionId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!IsPost(input))
        {
            return null;
        }
        if (input.Truncated)
        {
            return await RecordOutcomeAsync(input, store, sessionId, now, cancellationToken);
        }
        using var document = StrictJson.TryParse(input.Payload, out _, StrictJson.DefaultMaxDepth);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object ||
            !HookEvent.IsPostEvent(OperationNormalizer.Text(document.RootElement, "hook_event_name")))
        {
            return null;
        }
        var root = document.RootElement;
        var hook = new HookEvent(OperationNormalizer.Text(root, "hook_event_name"), OperationNormalizer.Text(root, "tool_name"), root);
        return await RecordOutcomeAsync(hook, store, sessionId, now, cancellationToken);
    }

    public static async Task<HookResult> RecordOutcomeAsync(HookEvent hook, IDecisionStore store, string sessionId, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await RecordAsync(hook.Outcome(sessionId, now), hook.EventName, store, cancellationToken);

    /// <summary>A PostToolUse payload too large to parse: what its top-level fields say is recorded.</summary>
    private static Task<HookResult> RecordOutcomeAsync(HookInput input, IDecisionStore store, string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var eventName = input.Field("hook_event_name") ?? HookEvent.PostToolUse;
        var outcome = HookEvent.Outcome(eventName, input.Field("tool_name") ?? "", input.Field("tool_use_id"), input.Field("session_id"),
            interrupted: false, detail: "", sessionId, now);
        return RecordAsync(outcome, eventName, store, cancellationToken);
    }

    private static async Task<HookResult> RecordAsync(ToolOutcomeRecord outcome, string eventName, IDecisionStore store, CancellationToken cancellationToken)
    {
        if (outcome.ToolUseId.Length == 0)
        {
            return HookResult.Failed($"the {eventName} payload has no tool_use_id, so its outcome cannot be matched to a decision");
        }
        await store.AppendOutcomeAsync(outcome, cancellationToken);
        return HookResult.Recorded;
    }

    public static bool IsPost(HookInput input) => HookEvent.IsPostEvent(input.Field("hook_event_name"));

    private Task<HookResult> OversizedAsync(HookInput input, string session, CancellationToken cancellationToken) =>
        UnreviewedAsync(input.Field("tool_name"), session, TooLarge("hook payload", input.TotalBytes), overHardLimit: true,
            StrictJson.Prefix(input.Payload.Span), cancellationToken);

    private Task<HookResult> UnreadableAsync(HookInput input, string session, string problem, CancellationToken cancellationToken) =>
        UnreviewedAsync(input.Field("tool_name"), session, problem, overHardLimit: false, StrictJson.Prefix(input.Payload.Span), cancellationToken);

    public string TooLarge(string what, long bytes) =>
        $"the {what} is {bytes} bytes, more than the hard limit of {limits.MaxRequestBytes} bytes (governance.limits.max_request_bytes), " +
        "so governance did not read it; split the change into smaller steps";

    /// <summary>
    /// A PreToolUse call that could not be read, on any path: recorded with what arrived and answered ask (deny when
    /// it broke the hard size limit). The record still says which tool it claimed to be, when that much was readable.
    /// </summary>
    public async Task<HookResult> UnreviewedAsync(string? toolName, string sessionId, string problem, bool overHardLimit, string rawText,
        CancellationToken cancellationToken)
    {
        var tool = toolName is { } named && OperationNames.IsValid(named, limits.MaxOperationLength) ? named : HookEvent.PreToolUse;
        var decision = await engine.DecideAsync(new GovernanceRequest(tool, default, sessionId, InputError: problem, OverHardLimit: overHardLimit,
            RawText: rawText), cancellationToken);
        return Answer(decision);
    }

    private static HookResult Answer(Decision decision) =>
        decision.Error is { IsServerFault: true } failure ? HookResult.Failed(failure.Error) : new HookResult(HookAnswer.From(decision), null);

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
