using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.LiteDb.Retention;

/// <summary>
/// Applies database.retention in the background: at start (unless a process on the same file ran it within the
/// interval) and then every interval, it deletes the decisions older than max_age and the oldest beyond max_count,
/// with their tool outcomes and the sessions left empty, and logs what it removed.
/// </summary>
public sealed class LiteDbRetentionService(
    LiteDbDecisionStore store, LiteDbStoreOptions options, TimeProvider time, ILogger<LiteDbRetentionService> logger) : BackgroundService
{
    /// <summary>Decisions per transaction: small enough that appends queued behind a chunk wait only milliseconds.</summary>
    internal const int ChunkSize = 500;

    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);
    private readonly Channel<RetentionReport> _passes = Channel.CreateBounded<RetentionReport>(
        new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });

    /// <summary>Each finished pass, published once the wait for the next one has started (tests advance the clock on it).</summary>
    internal ChannelReader<RetentionReport> Passes => _passes.Reader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Retention;
        if (!retention.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            RetentionReport report;
            try
            {
                report = await RunOnceAsync(retention, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // the host is stopping or the store closed
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Retention on {DatabasePath} failed; it is tried again in {Interval}", store.FilePath, retention.Interval);
                report = new RetentionReport { Failed = true, NextDue = time.GetUtcNow() + retention.Interval };
            }
            var wait = report.NextDue - time.GetUtcNow();
            var delay = Task.Delay(wait < MinimumWait ? MinimumWait : wait, time, stoppingToken);
            _passes.Writer.TryWrite(report);
            try
            {
                await delay;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task<RetentionReport> RunOnceAsync(LiteDbRetentionOptions retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var claim = await store.OnWriterAsync(() => RetentionSweep.Claim(store, now, retention.Interval), cancellationToken);
        if (!claim.Claimed)
        {
            logger.LogDebug("Retention ran within the last {Interval} on {DatabasePath}; next pass {NextDue:O}", retention.Interval, store.FilePath, claim.NextDue);
            return new RetentionReport { NextDue = claim.NextDue };
        }
        DateTime? cutoff = retention.MaxAge is { } age ? (now - age).UtcDateTime : null;
        var excess = retention.MaxCount is { } maxCount ? await store.OnWriterAsync(() => RetentionSweep.Excess(store, maxCount), cancellationToken) : 0;
        long byAge = 0, byCount = 0, updated = 0, deleted = 0, outcomes = 0;
        while (true)
        {
            var left = excess - byAge - byCount;
            var chunk = await store.OnWriterAsync(() => RetentionSweep.DeleteOldest(store, cutoff, left, ChunkSize), cancellationToken);
            (byAge, byCount, updated, deleted, outcomes) =
                (byAge + chunk.ByAge, byCount + chunk.ByCount, updated + chunk.SessionsUpdated, deleted + chunk.SessionsDeleted, outcomes + chunk.Outcomes);
            if (chunk.Decisions < ChunkSize)
            {
                break;
            }
        }
        outcomes += await store.OnWriterAsync(() => RetentionSweep.DeleteOrphanOutcomes(store, cutoff), cancellationToken);
        var report = new RetentionReport
        {
            Ran = true,
            DecisionsByAge = byAge,
            DecisionsByCount = byCount,
            SessionsUpdated = updated,
            SessionsDeleted = deleted,
            Outcomes = outcomes,
            NextDue = claim.NextDue,
        };
        if (report.Decisions + outcomes > 0)
        {
            logger.LogInformation(
                "Retention removed {Decisions} decision(s) from {DatabasePath}: {ByAge} older than max_age {MaxAge}, {ByCount} beyond max_count {MaxCount}; " +
                "{SessionsDeleted} session(s) left empty were deleted, {SessionsUpdated} lost stale ids; {Outcomes} tool outcome(s) went with them",
                report.Decisions, store.FilePath, byAge, retention.MaxAge?.ToString() ?? "(none)", byCount, retention.MaxCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)",
                deleted, updated, outcomes);
        }
        else
        {
            logger.LogDebug("Retention found nothing to remove in {DatabasePath}", store.FilePath);
        }
        return report;
    }
}
