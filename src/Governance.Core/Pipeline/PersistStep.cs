using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Storage;
using Governance.Core.Metrics;
using Governance.Core.Serialization;
using Microsoft.Extensions.Logging;

namespace Governance.Core.Pipeline;

/// <summary>
/// The outermost step: lets the rest answer, then leaves exactly one audit record of that answer — decisions, cache
/// hits and rejections alike — and counts it into the metrics. Whether this waits for the disk is the store's durability setting.
/// </summary>
public sealed class PersistStep(IDecisionStore store, GovernanceMetrics metrics, ILogger<PersistStep> logger) : IDecisionStep
{
    /// <summary>Contexts are stored for audit, but not without bound.</summary>
    public const int MaxStoredContextChars = 64 * 1024;

    public string Name => "persist";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        var decision = await next(context);
        var record = ToRecord(context, decision);
        metrics.Record(record);
        try
        {
            await store.AppendAsync(record, context.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.PersistFailed();
            logger.LogError(ex, "Could not record decision {DecisionId} for {CorrelationId}", decision.DecisionId, context.CorrelationId);
            if (decision.Error is null)
            {
                decision = decision with
                {
                    Warnings = [.. decision.Warnings, new GovernanceWarning("audit-write-failed", Severity.High,
                        "This decision could not be written to the audit log; history will not show it.", "persist")],
                };
            }
        }
        return decision;
    }

    private static DecisionRecord ToRecord(DecisionContext context, Decision decision)
    {
        var operation = context.Operation;
        var contextJson = context.RawContext.ValueKind == JsonValueKind.Undefined ? context.RawText ?? "" : context.RawContext.GetRawText();
        if (contextJson.Length > MaxStoredContextChars)
        {
            contextJson = contextJson[..MaxStoredContextChars];
        }
        return new DecisionRecord
        {
            DecisionId = decision.DecisionId,
            CorrelationId = decision.CorrelationId,
            SessionId = decision.SessionId,
            Timestamp = decision.Timestamp,
            Operation = context.RawOperation.Length > 200 ? context.RawOperation[..200] : context.RawOperation,
            Kind = decision.Kind,
            Verdict = decision.Error is null ? decision.Verdict.ToWire() : "error",
            Confidence = decision.Confidence,
            Cached = decision.Cached,
            ElapsedMs = decision.ElapsedMs,
            PolicyRevision = decision.PolicyRevision,
            Subject = operation?.Subject ?? "",
            Summary = decision.Summary,
            Error = decision.Error?.Error,
            ToolUseId = operation?.ToolUseId ?? "",
            ResponseJson = GovernanceJson.Serialize(decision),
            ContextJson = contextJson,
        };
    }
}
