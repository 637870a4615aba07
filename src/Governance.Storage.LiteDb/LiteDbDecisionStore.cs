using System.Collections.Concurrent;
using Governance.Abstractions.Storage;
using Governance.Storage.LiteDb.Permissions;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.LiteDb;

/// <summary>
/// The embedded store: one LiteDB file, one writer thread. Appends queue to the writer, which commits them in
/// groups (one transaction per group) and updates each record's session in the same transaction. With sync
/// durability an append completes after its group is committed; with batched it completes when the writer has
/// accepted it. The writer accepts at most <see cref="LiteDbStoreOptions.BatchMaxSize"/> records that are not yet on
/// disk; an append beyond that waits for room, so a crash can lose at most one group, never a backlog.
/// Several processes share the file (the stdio server, command hooks, the CLI): it is opened in LiteDB's shared
/// mode, where every operation or transaction takes a machine-wide named mutex and reads the file afresh.
/// </summary>
public sealed class LiteDbDecisionStore : IDecisionStore, IDisposable
{
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _decisions;
    private readonly ILiteCollection<BsonDocument> _sessions;
    private readonly ILiteCollection<BsonDocument> _outcomes;
    // Unbounded as a collection: _room bounds what is in it (and in the group being committed).
    private readonly BlockingCollection<Pending> _queue = new(new ConcurrentQueue<Pending>());
    private readonly SemaphoreSlim _room;
    private readonly Thread _writer;
    private readonly LiteDbStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiteDbDecisionStore> _logger;
    private int _disposed;

    public LiteDbDecisionStore(LiteDbStoreOptions options, TimeProvider time, ILogger<LiteDbDecisionStore> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchMaxSize, 1);
        _options = options;
        _time = time;
        _logger = logger;
        _room = new SemaphoreSlim(options.BatchMaxSize, int.MaxValue);
        var path = System.IO.Path.GetFullPath(options.Path);
        FilePath = path;
        var isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
        PrivateDataDirectory.Prepare(path, logger);
        // Ids are opaque: compare them byte for byte. LiteDB's default collation (current culture, IgnoreCase)
        // would make "Alice" and "alice" one session and let decision "D1" replace "d1".
        // The collation is fixed when a file is created; LiteDB refuses to open an existing file with another one.
        _database = new LiteDatabase(new ConnectionString
        {
            Filename = path,
            // Direct mode keeps pages cached in this process and takes no lock another process honours (on Linux
            // the file is opened FileShare.Read, an advisory shared lock): a second writer would corrupt the file.
            Connection = ConnectionType.Shared,
            Collation = isNew ? Collation.Binary : null,
        });
        _decisions = _database.GetCollection(BsonMapping.Decisions);
        _sessions = _database.GetCollection(BsonMapping.Sessions);
        _outcomes = _database.GetCollection(BsonMapping.Outcomes);
        Initialize();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "governance-litedb-writer" };
        _writer.Start();
        logger.LogInformation("Decisions are recorded in {DatabasePath} (durability {Durability})", path, options.Durability);
    }

    public string FilePath { get; }

    /// <summary>Dispose has begun: the writer takes no more work.</summary>
    internal bool IsClosing
    {
        get
        {
            try
            {
                return _queue.IsAddingCompleted;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }
    }

    internal LiteDatabase Database => _database;
    internal ILiteCollection<BsonDocument> Decisions => _decisions;
    internal ILiteCollection<BsonDocument> Sessions => _sessions;
    internal ILiteCollection<BsonDocument> Outcomes => _outcomes;

    private void Initialize()
    {
        if (_database.Collation.SortOptions != System.Globalization.CompareOptions.Ordinal)
        {
            // A file written before this fix: rebuild it once with the binary collation.
            _database.Rebuild(new LiteDB.Engine.RebuildOptions { Collation = Collation.Binary });
        }
        _outcomes.EnsureIndex("tool_use_id", "$.tool_use_id");
        // The one-argument EnsureIndex takes an expression and names the index without the '_' ("sessionid").
        _decisions.DropIndex("sessionid");
        _decisions.DropIndex("correlationid");
        foreach (var field in new[] { "session_id", "correlation_id", "operation", "verdict", "timestamp" })
        {
            _decisions.EnsureIndex(field, "$." + field);
        }
    }

    public ValueTask AppendAsync(DecisionRecord record, CancellationToken cancellationToken) => EnqueueAsync(record, null, cancellationToken);

    public ValueTask AppendOutcomeAsync(ToolOutcomeRecord outcome, CancellationToken cancellationToken) => EnqueueAsync(null, outcome, cancellationToken);

    private async ValueTask EnqueueAsync(DecisionRecord? record, ToolOutcomeRecord? outcome, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Backpressure: when BatchMaxSize records are already waiting for the disk, wait for the commit in progress.
        await _room.WaitAsync(cancellationToken);
        var done = _options.IsSync ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        if (!TryAdd(new Pending(record, outcome, done, _time.GetTimestamp(), HoldsRoom: true)))
        {
            _room.Release(); // wakes the next waiter, which finds the store closed too
            ObjectDisposedException.ThrowIf(true, this);
        }
        if (done is not null)
        {
            await done.Task.WaitAsync(cancellationToken);
        }
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryAdd(new Pending(null, null, done, _time.GetTimestamp(), HoldsRoom: false)))
        {
            ObjectDisposedException.ThrowIf(true, this);
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs work on the writer thread between group commits (retention), so the file keeps one writer per process.
    /// Cancelled if the store closes first.
    /// </summary>
    internal async Task<T> OnWriterAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        T result = default!;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!TryAdd(new Pending(null, null, done, _time.GetTimestamp(), HoldsRoom: false, Job: () => result = work())))
        {
            ObjectDisposedException.ThrowIf(true, this);
        }
        await done.Task.WaitAsync(cancellationToken);
        return result;
    }

    private bool TryAdd(Pending pending)
    {
        try
        {
            _queue.Add(pending);
            return true;
        }
        catch (InvalidOperationException)
        {
            // Adding completed (Dispose has begun) or the queue is disposed (ObjectDisposedException derives from it).
            return false;
        }
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
        while (_queue.TryTake(out var first, Timeout.Infinite))
        {
            if (first.Job is not null)
            {
                Run(first);
                continue;
            }
            batch.Clear();
            batch.Add(first);
            Pending? job = null;
            // Group commit: take whatever else is queued; in batched mode also wait for more until the window closes.
            // The window runs from when the first record was answered, not from when this thread got to it: a record
            // that waited out the previous commit is not held back a whole window more.
            var deadline = first.Accepted;
            if (!_options.IsSync && first.Done is null)
            {
                deadline += (long)(_options.BatchWindow.TotalSeconds * _time.TimestampFrequency);
            }
            while (batch.Count < _options.BatchMaxSize)
            {
                var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
                if (!_queue.TryTake(out var next, remaining))
                {
                    break;
                }
                if (next.Job is not null)
                {
                    job = next; // after this group: a job runs in a transaction of its own
                    break;
                }
                batch.Add(next);
                if (next.Done is not null)
                {
                    // Someone is waiting (a flush, a sync append): commit what is queued now rather than at the end of the window.
                    deadline = Math.Min(deadline, _time.GetTimestamp());
                }
            }
            Commit(batch);
            var held = batch.Count(p => p.HoldsRoom);
            if (held > 0)
            {
                _room.Release(held);
            }
            if (job is not null)
            {
                Run(job);
            }
        }
    }

    private void Run(Pending job)
    {
        if (_queue.IsAddingCompleted)
        {
            job.Done!.TrySetCanceled(); // closing: maintenance can wait for the next start
            return;
        }
        try
        {
            job.Job!();
            job.Done!.TrySetResult();
        }
        catch (Exception ex)
        {
            job.Done!.TrySetException(ex); // a job rolls back its own transaction
        }
    }

    private void Commit(List<Pending> batch)
    {
        var started = _time.GetTimestamp();
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
            _logger.LogDebug("Committed {Count} record(s) in {ElapsedMs:0.0} ms", batch.Count, _time.GetElapsedTime(started).TotalMilliseconds);
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

    /// <summary>
    /// One item for the writer: a record or outcome to commit, a flush marker (Done only) or a job. Accepted is the
    /// time stamp of the append (a batched append is answered then; its group's window counts from it); HoldsRoom when
    /// it took one of the room's slots, given back once it is committed.
    /// </summary>
    private sealed record Pending(DecisionRecord? Record, ToolOutcomeRecord? Outcome, TaskCompletionSource? Done, long Accepted, bool HoldsRoom, Action? Job = null);
}
