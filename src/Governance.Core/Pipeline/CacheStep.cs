using Governance.Abstractions.Caching;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Caching;
using Microsoft.Extensions.Logging;

namespace Governance.Core.Pipeline;

/// <summary>
/// Answers a question already decided under the same policy revision from the LRU cache (with fresh ids and
/// <c>cached: true</c>); on a miss, lets the pipeline decide and stores the answer. A cache fault means
/// "proceed uncached". A request with input flaws is never cached.
/// </summary>
public sealed class CacheStep(IDecisionCache cache, TimeProvider time, ILogger<CacheStep> logger) : IDecisionStep
{
    public string Name => "cache";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        if (context.InputFlaws.Count > 0)
        {
            // Part of the request could not be read (not valid Unicode, too deep, truncated): there is no
            // canonical form to key it by, and an answer about what could not be reviewed is not worth repeating.
            return await next(context);
        }
        string? key = null;
        try
        {
            key = DecisionCacheKey.Compute(context.Policy.Revision, context.RawOperation, context.OnlyPersonaId, context.RawContext);
            context.CacheKey = key;
            if (cache.TryGet(key, out var hit))
            {
                return hit with
                {
                    DecisionId = context.DecisionId,
                    CorrelationId = context.CorrelationId,
                    SessionId = context.SessionId,
                    Cached = true,
                    ElapsedMs = time.GetElapsedTime(context.StartTimestamp).TotalMilliseconds,
                    Timestamp = context.ReceivedAt,
                };
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Decision cache lookup failed for {CorrelationId}; proceeding uncached", context.CorrelationId);
            key = null;
        }

        var decision = await next(context);
        if (key is not null && decision.Error is null && !Degraded(decision))
        {
            try
            {
                cache.Set(key, decision);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Decision cache store failed for {CorrelationId}", context.CorrelationId);
            }
        }
        return decision;
    }

    /// <summary>A decision made while a persona failed is not an answer worth repeating.</summary>
    private static bool Degraded(Decision decision)
    {
        foreach (var guidance in decision.PersonaGuidance.Values)
        {
            if (guidance.Status != "ok")
            {
                return true;
            }
        }
        return false;
    }
}
