using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;
using Governance.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace Governance.Core.Plugins;

/// <summary>
/// Runs the policy's plugins for one request, each isolated and bounded by the persona timeout: enrichers add
/// facts to the operation before personas run; checks add warnings. A faulty plugin costs a warning, never the decision.
/// </summary>
public sealed class PluginRunner(GovernanceMetrics metrics, TimeProvider time, ILogger<PluginRunner> logger)
{
    public async ValueTask EnrichAsync(DecisionContext context)
    {
        var enrichers = context.Policy.Enrichers;
        if (enrichers.Count == 0)
        {
            return;
        }
        var operation = context.Operation!;
        Dictionary<string, string>? facts = null;
        foreach (var enricher in enrichers)
        {
            var id = enricher.Descriptor.Id;
            var added = await RunAsync(context, id, token => enricher.Enrich(operation, token));
            if (added is null)
            {
                continue;
            }
            facts ??= new Dictionary<string, string>(operation.Facts, StringComparer.Ordinal);
            foreach (var (key, value) in added)
            {
                facts[key] = value ?? "";
            }
        }
        if (facts is not null)
        {
            context.Operation = operation with { Facts = facts };
        }
    }

    public async ValueTask CheckAsync(DecisionContext context)
    {
        foreach (var check in context.Policy.Checks)
        {
            var warnings = await RunAsync(context, check.Descriptor.Id, token => check.Check(context.Operation!, token));
            if (warnings is not null)
            {
                context.Warnings.AddRange(warnings);
            }
        }
    }

    private async ValueTask<T?> RunAsync<T>(DecisionContext context, string pluginId, Func<CancellationToken, T> run) where T : class
    {
        var timeout = context.Policy.Thresholds.PersonaTimeout;
        // The token is the plugin's deadline; a script plugin's budget checks stop it when it is cancelled.
        using var expiry = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, expiry.Token);
        try
        {
            return await Task.Run(() => run(deadline.Token), deadline.Token).WaitAsync(timeout, time, context.CancellationToken);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            await deadline.CancelAsync(); // a script plugin still running sees its deadline and stops (disposing would not tell it)
            metrics.PluginFailed();
            var reason = ex is TimeoutException or OperationCanceledException ? $"timed out after {timeout.TotalMilliseconds:0} ms" : $"{ex.GetType().Name}: {ex.Message}";
            logger.LogWarning(ex, "Plugin {PluginId} failed for {CorrelationId}", pluginId, context.CorrelationId);
            context.Warnings.Add(new GovernanceWarning("plugin-failed", Severity.Medium,
                $"Plugin {pluginId} failed ({reason}); the decision was made without it.", pluginId));
            return null;
        }
    }
}
