using System.Text.Json;
using Governance.Abstractions.Storage;
using Governance.Core;

namespace Governance.Server.Hooks;

/// <summary>
/// One hook call through the pipeline, the same whether the command hook decides in its own process or the running
/// server answers it over its hook socket: PreToolUse is decided and answered in the hook output format; PostToolUse
/// and PostToolUseFailure are recorded.
/// </summary>
internal sealed class HookHandler(GovernanceEngine engine, IDecisionStore store, TimeProvider time)
{
    public async Task<HookResult> HandleAsync(HookEvent hook, string sessionId, CancellationToken cancellationToken)
    {
        if (hook.IsPost)
        {
            return await RecordOutcomeAsync(hook, store, sessionId, time.GetUtcNow(), cancellationToken);
        }
        var context = JsonSerializer.SerializeToElement(hook.Payload);
        var decision = await engine.DecideAsync(new GovernanceRequest(hook.ToolName, context, sessionId), cancellationToken);
        return decision.Error is { } error
            ? HookResult.Failed(error.Error)
            : new HookResult(HookAnswer.From(decision, failClosed: false), null);
    }

    /// <summary>PostToolUse needs no policy: a hook process records it without loading one.</summary>
    public static async Task<HookResult> RecordOutcomeAsync(HookEvent hook, IDecisionStore store, string sessionId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var outcome = hook.Outcome(sessionId, now);
        if (outcome.ToolUseId.Length == 0)
        {
            return HookResult.Failed($"the {hook.EventName} payload has no tool_use_id, so its outcome cannot be matched to a decision");
        }
        await store.AppendOutcomeAsync(outcome, cancellationToken);
        return new HookResult(null, null);
    }
}
