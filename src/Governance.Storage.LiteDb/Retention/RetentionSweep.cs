using Governance.Abstractions.Storage;
using LiteDB;

namespace Governance.Storage.LiteDb.Retention;

/// <summary>
/// The retention job's transactions. Each runs on the store's writer thread, between group commits, and is small
/// (one chunk of decisions) so appends are not held up for long.
/// </summary>
internal static class RetentionSweep
{
    private const string MarkerId = "retention";

    /// <summary>
    /// Claims the pass unless a process on this file ran it within the interval: hooks start a process per tool
    /// call, and each must not repeat the whole sweep. Checked and written in one transaction (the file's mutex).
    /// </summary>
    public static RetentionClaim Claim(LiteDbDecisionStore store, DateTimeOffset now, TimeSpan interval)
    {
        var maintenance = store.Database.GetCollection(BsonMapping.Maintenance);
        if (NotDue(maintenance, now, interval) is { } early)
        {
            return new RetentionClaim(false, early); // the common case, read without a write transaction
        }
        store.Database.BeginTrans();
        try
        {
            if (NotDue(maintenance, now, interval) is { } raced)
            {
                store.Database.Rollback();
                return new RetentionClaim(false, raced);
            }
            maintenance.Upsert(new BsonDocument { ["_id"] = MarkerId, ["last_run"] = now.UtcDateTime });
            store.Database.Commit();
            return new RetentionClaim(true, now + interval);
        }
        catch
        {
            store.Database.Rollback();
            throw;
        }
    }

    /// <summary>When the next pass is due if the last one was within the interval; null when one is due now.</summary>
    private static DateTimeOffset? NotDue(ILiteCollection<BsonDocument> maintenance, DateTimeOffset now, TimeSpan interval)
    {
        if (maintenance.FindById(MarkerId) is not { } marker)
        {
            return null;
        }
        var last = new DateTimeOffset(DateTime.SpecifyKind(marker["last_run"].AsDateTime.ToUniversalTime(), DateTimeKind.Utc));
        // A marker from the future (another machine's clock, a clock set back) does not postpone retention.
        return last <= now && now - last < interval ? last + interval : null;
    }

    /// <summary>How many decisions the file holds beyond the newest <paramref name="maxCount"/>.</summary>
    public static long Excess(LiteDbDecisionStore store, int maxCount) => Math.Max(0, store.Decisions.LongCount() - maxCount);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the oldest decisions: those older than the cutoff, and as many more
    /// as it takes to remove <paramref name="excess"/> in all (the count beyond max_count). Their sessions lose the deleted ids (and go when no decision of
    /// theirs is left); their tool outcomes go with them.
    /// </summary>
    public static RetentionChunk DeleteOldest(LiteDbDecisionStore store, DateTime? cutoff, long excess, int limit)
    {
        var oldest = store.Decisions.Query()
            .OrderBy("$.timestamp")
            .Select("{ _id: $._id, session_id: $.session_id, correlation_id: $.correlation_id, tool_use_id: $.tool_use_id, timestamp: $.timestamp }")
            .Limit(limit)
            .ToList();
        var victims = new List<BsonDocument>();
        int byAge = 0, byCount = 0;
        foreach (var decision in oldest)
        {
            if (cutoff is { } before && decision["timestamp"].AsDateTime.ToUniversalTime() < before)
            {
                byAge++;
            }
            else if (byAge + byCount < excess) // a decision too old also counts toward the excess
            {
                byCount++;
            }
            else
            {
                break; // ordered oldest first: everything after this one is kept too
            }
            victims.Add(decision);
        }
        if (victims.Count == 0)
        {
            return default;
        }
        store.Database.BeginTrans();
        try
        {
            foreach (var victim in victims)
            {
                store.Decisions.Delete(victim["_id"]);
            }
            var (updated, deleted) = PruneSessions(store, victims);
            var outcomes = 0;
            foreach (var victim in victims.Where(v => v["tool_use_id"].AsString is { Length: > 0 }))
            {
                outcomes += store.Outcomes.DeleteMany(Query.And(
                    Query.EQ("tool_use_id", victim["tool_use_id"]), Query.EQ("session_id", victim["session_id"])));
            }
            store.Database.Commit();
            return new RetentionChunk(byAge, byCount, updated, deleted, outcomes);
        }
        catch
        {
            store.Database.Rollback();
            throw;
        }
    }

    private static (int Updated, int Deleted) PruneSessions(LiteDbDecisionStore store, List<BsonDocument> victims)
    {
        int updated = 0, deleted = 0;
        foreach (var group in victims.GroupBy(v => v["session_id"].AsString, StringComparer.Ordinal))
        {
            if (store.Sessions.FindById(group.Key) is not { } document)
            {
                continue;
            }
            if (!store.Decisions.Exists(Query.EQ("session_id", group.Key)))
            {
                store.Sessions.Delete(group.Key);
                deleted++;
                continue;
            }
            var session = BsonMapping.ToSession(document);
            var decisionIds = group.Select(v => v["_id"].AsString).ToHashSet(StringComparer.Ordinal);
            var correlationIds = group.Select(v => v["correlation_id"].AsString).ToHashSet(StringComparer.Ordinal);
            // The metrics stay: they count the session's requests, not the records still kept.
            store.Sessions.Update(BsonMapping.ToDocument(new SessionRecord
            {
                SessionId = session.SessionId,
                CreatedAt = session.CreatedAt,
                UpdatedAt = session.UpdatedAt,
                Metrics = session.Metrics,
                DecisionIds = session.DecisionIds.Where(id => !decisionIds.Contains(id)).ToArray(),
                CorrelationIds = session.CorrelationIds.Where(id => !correlationIds.Contains(id)).ToArray(),
            }));
            updated++;
        }
        return (updated, deleted);
    }

    /// <summary>
    /// Tool outcomes no kept decision can own: older than the oldest decision left (an outcome follows its
    /// decision), or, when none is left, older than the age cutoff.
    /// </summary>
    public static int DeleteOrphanOutcomes(LiteDbDecisionStore store, DateTime? cutoff)
    {
        var oldestKept = store.Decisions.Query().OrderBy("$.timestamp").Select("$.timestamp").Limit(1).ToList();
        DateTime? before = oldestKept.Count > 0 ? oldestKept[0]["timestamp"].AsDateTime.ToUniversalTime() : cutoff;
        return before is { } limit ? store.Outcomes.DeleteMany("$.timestamp < @0", limit) : 0;
    }
}
