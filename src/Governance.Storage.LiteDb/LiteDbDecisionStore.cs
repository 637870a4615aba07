using System.Collections.Concurrent;
using Governance.Abstractions.Storage;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.LiteDb;

/// <summary>
/// The embedded store: one LiteDB file, one writer thread. Appends queue to the writer, which commits them in
/// groups (one transaction per group) and updates each record's session in the same transaction. With sync
/// durability an append completes after its group is committed; with batched it completes when queued.
/// Several processes share the file (the stdio server, command hooks, the CLI): it is opened in LiteDB's shared
/// mode, where every operation or transaction takes a machine-wide named mutex and reads the file afresh.
/// </summary>
public sealed class LiteDbDecisionStore : IDecisionStore, IDisposable
{
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _decisions;
    private readonly ILiteCollection<BsonDocument> _sessions;
    private readonly ILiteCollection<BsonDocument> _outcomes;
    private readonly BlockingCollection<Pending> _queue = new(boundedCapacity: 100_000);
    private readonly Thread _writer;
    private readonly LiteDbStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiteDbDecisionStore> _logger;
    private int _disposed;

    public LiteDbDecisionStore(LiteDbStoreOptions options, TimeProvider time, ILogger<LiteDbDecisionStore> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var path = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        FilePath = path;
        // Ids are opaque: compare them byte for byte. LiteDB's default collation (current culture, IgnoreCase)
        // would make "Alice" and "alice" one session and let decision "D1" replace "d1".
        // The collation is fixed when a file is created; LiteDB refuses to open an existing file with another one.
        _database = new LiteDatabase(new ConnectionString
        {
            Filename = path,
            // Direct mode keeps pages cached in this process and takes no lock another process honours (on Linux
            // the file is opened FileShare.Read, an advisory shared lock): a second writer would corrupt the file.
            Connection = ConnectionType.Shared,
            Collation = File.Exists(path) ? null : Collation.Binary,
        });
        if (_database.Collation.SortOptions != System.Globalization.CompareOptions.Ordinal)
        {
            // A file written before this fix: rebuild it once with the binary collation.
            _database.Rebuild(new LiteDB.Engine.RebuildOptions { Collation = Collation.Binary });
        }
        _decisions = _database.GetCollection(BsonMapping.Decisions);
        _sessions = _database.GetCollection(BsonMapping.Sessions);
        _outcomes = _database.GetCollection(BsonMapping.Outcomes);
        _outcomes.EnsureIndex("tool_use_id", "$.tool_use_id");
        // The one-argument EnsureIndex takes an expression and names the index without the '_' ("sessionid").
        _decisions.DropIndex("sessionid");
        _decisions.DropIndex("correlationid");
        foreach (var field in new[] { "session_id", "correlation_id", "operation", "verdict", "timestamp" })
        {
            _decisions.EnsureIndex(field, "$." + field);
        }
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "governance-litedb-writer" };
        _writer.Start();
        logger.LogInformation("Decisions are recorded in {DatabasePath} (durability {Durability})", path, options.Durability);
    }

    public string FilePath { get; }

    public ValueTask AppendAsync(DecisionRecord record, CancellationToken cancellationToken) => Enqueue(record, null, cancellationToken);

    public ValueTask AppendOutcomeAsync(ToolOutcomeRecord outcome, CancellationToken cancellationToken) => Enqueue(null, outcome, cancellationToken);

    private ValueTask Enqueue(DecisionRecord? record, ToolOutcomeRecord? outcome, CancellationToken cancellationToken)
    {
        if (!_options.IsSync)
        {
            _queue.Add(new Pending(record, null, outcome), cancellationToken);
            return ValueTask.CompletedTask;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(new Pending(record, done, outcome), cancellationToken);
        return new ValueTask(done.Task.WaitAsync(cancellationToken));
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(new Pending(null, done), cancellationToken);
        return done.Task.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DecisionRecord>> QueryAsync(DecisionQuery query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var builder = _decisions.Query();
        if (!string.IsNullOrEmpty(query.SessionId))
        {
            builder = builder.Where("$.session_id = @0", query.SessionId);
        }
        if (!string.IsNullOrEmpty(query.CorrelationId))
        {
            builder = builder.Where("$.correlation_id = @0", query.CorrelationId);
        }
        if (!string.IsNullOrEmpty(query.Operation))
        {
            builder = builder.Where("$.operation = @0 OR $.kind = @0", query.Operation);
        }
        if (!string.IsNullOrEmpty(query.Verdict))
        {
            builder = builder.Where("$.verdict = @0", query.Verdict.ToLowerInvariant());
        }
        if (query.Since is { } since)
        {
            builder = builder.Where("$.timestamp >= @0", since.UtcDateTime);
        }
        var limit = Math.Clamp(query.Limit, 1, DecisionQuery.MaxLimit);
        var ordered = builder.OrderByDescending("$.timestamp");
        IEnumerable<BsonDocument> documents;
        if (string.IsNullOrEmpty(query.Pattern))
        {
            documents = ordered.Limit(limit).ToEnumerable();
        }
        else
        {
            // LiteDB's INDEXOF is culture-sensitive (ignorable characters such as U+200B match everywhere):
            // match the pattern ordinally here, then apply the limit.
            var pattern = query.Pattern.ToLowerInvariant();
            documents = ordered.ToEnumerable().Where(d => Contains(d["subject"], pattern) || Contains(d["summary"], pattern)).Take(limit);
        }
        var found = documents.ToArray();
        var outcomes = OutcomesOf(found);
        IReadOnlyList<DecisionRecord> records = found
            .Select(d => BsonMapping.ToDecision(d, outcomes.GetValueOrDefault((d["session_id"].AsString, d["tool_use_id"].AsString))))
            .ToArray();
        return Task.FromResult(records);
    }

    /// <summary>
    /// The latest outcome of each tool call among these decisions (a retried call may have several), matched by
    /// session and tool_use_id: ids are unique per conversation, not necessarily across them.
    /// </summary>
    private Dictionary<(string Session, string ToolUseId), ToolOutcomeRecord> OutcomesOf(BsonDocument[] decisions)
    {
        var ids = decisions.Select(d => d["tool_use_id"].AsString).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        var outcomes = new Dictionary<(string, string), ToolOutcomeRecord>();
        if (ids.Length == 0)
        {
            return outcomes;
        }
        foreach (var document in _outcomes.Find(Query.In("tool_use_id", ids.Select(id => new BsonValue(id)))))
        {
            var outcome = BsonMapping.ToOutcome(document);
            var key = (outcome.SessionId, outcome.ToolUseId);
            if (!outcomes.TryGetValue(key, out var seen) || seen.Timestamp <= outcome.Timestamp)
            {
                outcomes[key] = outcome;
            }
        }
        return outcomes;
    }

    private static bool Contains(BsonValue value, string lowerPattern) =>
        value.IsString && value.AsString.ToLowerInvariant().Contains(lowerPattern, StringComparison.Ordinal);

    public Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var document = _sessions.FindById(sessionId);
        return Task.FromResult(document is null ? null : BsonMapping.ToSession(document));
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(_options.BatchMaxSize);
        while (!_queue.IsCompleted)
        {
            batch.Clear();
            if (!_queue.TryTake(out var first, Timeout.Infinite))
            {
                break;
            }
            batch.Add(first);
            // Group commit: take whatever else is queued; in batched mode also wait out the window for more.
            var window = _options.IsSync ? TimeSpan.Zero : _options.BatchWindow;
            var deadline = _time.GetTimestamp() + (long)(window.TotalSeconds * _time.TimestampFrequency);
            while (batch.Count < _options.BatchMaxSize)
            {
                var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
                if (!_queue.TryTake(out var next, remaining))
                {
                    break;
                }
                batch.Add(next);
                if (next.Done is not null)
                {
                    break; // someone is waiting (a flush, a sync append): commit now rather than at the end of the window
                }
            }
            Commit(batch);
        }
    }

    private void Commit(List<Pending> batch)
    {
        try
        {
            _database.BeginTrans();
            var sessions = new Dictionary<string, SessionRecord>(StringComparer.Ordinal);
            foreach (var pending in batch)
            {
                if (pending.Outcome is { } outcome)
                {
                    _outcomes.Insert(BsonMapping.ToDocument(outcome));
                }
                if (pending.Record is not { } record)
                {
                    continue;
                }
                _decisions.Upsert(BsonMapping.ToDocument(record));
                if (!sessions.TryGetValue(record.SessionId, out var session))
                {
                    var existing = _sessions.FindById(record.SessionId);
                    session = existing is null
                        ? new SessionRecord { SessionId = record.SessionId, CreatedAt = record.Timestamp }
                        : BsonMapping.ToSession(existing);
                }
                sessions[record.SessionId] = new SessionRecord
                {
                    SessionId = session.SessionId,
                    CreatedAt = session.CreatedAt,
                    UpdatedAt = record.Timestamp,
                    CorrelationIds = Bounded(session.CorrelationIds, record.CorrelationId),
                    DecisionIds = Bounded(session.DecisionIds, record.DecisionId),
                    Metrics = session.Metrics.Add(record),
                };
            }
            foreach (var session in sessions.Values)
            {
                _sessions.Upsert(BsonMapping.ToDocument(session));
            }
            _database.Commit();
            foreach (var pending in batch)
            {
                pending.Done?.TrySetResult();
            }
        }
        catch (Exception ex) when (batch.Count(p => p.Record is not null || p.Outcome is not null) > 1)
        {
            // One record LiteDB refuses (too large, say) must not take its group-mates down: commit them one by one.
            TryRollback();
            _logger.LogWarning(ex, "Group commit of {Count} decision record(s) failed; committing them one by one", batch.Count);
            foreach (var pending in batch)
            {
                Commit([pending]);
            }
        }
        catch (Exception ex)
        {
            TryRollback();
            _logger.LogError(ex, "Could not commit {Count} decision record(s) to {DatabasePath}", batch.Count, FilePath);
            foreach (var pending in batch)
            {
                pending.Done?.TrySetException(ex);
            }
        }
    }

    private void TryRollback()
    {
        try
        {
            _database.Rollback();
        }
        catch (LiteException ex)
        {
            _logger.LogError(ex, "Rollback failed on {DatabasePath}", FilePath);
        }
    }

    private string[] Bounded(IReadOnlyList<string> ids, string added)
    {
        var skip = Math.Max(0, ids.Count + 1 - _options.SessionIdHistory);
        return [.. ids.Skip(skip), added];
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _queue.CompleteAdding();
        _writer.Join();
        _queue.Dispose();
        _database.Dispose();
    }

    private sealed record Pending(DecisionRecord? Record, TaskCompletionSource? Done, ToolOutcomeRecord? Outcome = null);
}
