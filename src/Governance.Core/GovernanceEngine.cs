using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Policy;
using Governance.Core.Metrics;
using Governance.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace Governance.Core;

/// <summary>
/// The one entry point every surface calls: gives the request its ids and policy snapshot, runs the pipeline,
/// and turns an unexpected fault into a structured error instead of an exception.
/// </summary>
public sealed class GovernanceEngine(
    DecisionPipeline pipeline,
    IPolicyProvider policy,
    GovernanceMetrics metrics,
    TimeProvider time,
    ILogger<GovernanceEngine> logger,
    FailureOptions? failure = null)
{
    private readonly bool _failClosed = failure?.FailClosed ?? false;

    public async ValueTask<Decision> DecideAsync(GovernanceRequest request, CancellationToken cancellationToken)
    {
        if (!policy.Loaded.IsCompleted)
        {
            // A client may connect while the pack is still loading; its first request waits for the real policy.
            await policy.Loaded.WaitAsync(cancellationToken);
        }
        var context = new DecisionContext
        {
            CorrelationId = Guid.NewGuid().ToString(),
            DecisionId = Guid.NewGuid().ToString(),
            RawOperation = request.Operation ?? "",
            RawContext = request.Context,
            ConnectionSessionId = request.ConnectionSessionId,
            OnlyPersonaId = request.OnlyPersonaId,
            InputError = request.InputError,
            InputOverHardLimit = request.OverHardLimit,
            RawText = request.RawText,
            Policy = policy.Current,
            ReceivedAt = time.GetUtcNow(),
            StartTimestamp = time.GetTimestamp(),
            CancellationToken = cancellationToken,
        };
        using var scope = logger.BeginScope("CorrelationId:{CorrelationId}", context.CorrelationId);
        try
        {
            var decision = await pipeline.RunAsync(context);
            logger.LogInformation("Decision {Verdict} for {Operation} in session {SessionId} ({ElapsedMs} ms, cached {Cached}) {CorrelationId}",
                decision.Error is null ? decision.Verdict.ToWire() : "error", context.RawOperation, decision.SessionId,
                decision.ElapsedMs, decision.Cached, context.CorrelationId);
            // What the request was about, for tracing a policy; the log formatter redacts secrets in it like the store does.
            logger.LogTrace("Decided {Operation} about {Subject}: {Summary} {CorrelationId}",
                context.RawOperation, context.Operation?.Subject ?? context.RawText, decision.Summary, context.CorrelationId);
            return decision;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Decision pipeline failed for {CorrelationId}", context.CorrelationId);
            return Failed(context, "the governance server could not decide this request because of an internal error " +
                $"({ex.GetType().Name}); the server log has details under correlation id {context.CorrelationId}", "internal_error");
        }
    }

    private Decision Failed(DecisionContext context, string message, string code)
    {
        var failed = Rejection.Failure(context, message, code, _failClosed);
        metrics.Record(new Abstractions.Storage.DecisionRecord
        {
            DecisionId = failed.DecisionId,
            CorrelationId = failed.CorrelationId,
            SessionId = failed.SessionId,
            Timestamp = failed.Timestamp,
            Verdict = "error",
            Error = failed.Error!.Error,
        });
        return failed;
    }

}
