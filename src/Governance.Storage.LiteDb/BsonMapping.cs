using Governance.Abstractions.Storage;
using LiteDB;

namespace Governance.Storage.LiteDb;

/// <summary>Explicit document shapes (snake_case, after the seed's schema), so the file layout does not drift with C# names.</summary>
internal static class BsonMapping
{
    public const string Decisions = "decisions";
    public const string Sessions = "sessions";
    public const string Outcomes = "outcomes";
    /// <summary>Bookkeeping shared by every process on the file: when retention last ran.</summary>
    public const string Maintenance = "maintenance";

    public static BsonDocument ToDocument(DecisionRecord record) => new()
    {
        ["_id"] = record.DecisionId,
        ["correlation_id"] = record.CorrelationId,
        ["session_id"] = record.SessionId,
        ["timestamp"] = record.Timestamp.UtcDateTime,
        ["operation"] = record.Operation,
        ["kind"] = record.Kind,
        ["verdict"] = record.Verdict,
        ["confidence"] = record.Confidence,
        ["cached"] = record.Cached,
        ["elapsed_ms"] = record.ElapsedMs,
        ["policy_revision"] = record.PolicyRevision,
        ["subject"] = record.Subject,
        ["summary"] = record.Summary,
        ["error"] = record.Error is null ? BsonValue.Null : new BsonValue(record.Error),
        ["tool_use_id"] = record.ToolUseId,
        ["response"] = record.ResponseJson,
        ["context"] = record.ContextJson,
    };

    public static DecisionRecord ToDecision(BsonDocument document, ToolOutcomeRecord? outcome = null) => new()
    {
        Outcome = outcome,
        DecisionId = document["_id"].AsString,
        CorrelationId = document["correlation_id"].AsString,
        SessionId = document["session_id"].AsString,
        Timestamp = new DateTimeOffset(DateTime.SpecifyKind(document["timestamp"].AsDateTime.ToUniversalTime(), DateTimeKind.Utc)),
        Operation = document["operation"].AsString,
        Kind = document["kind"].AsString,
        Verdict = document["verdict"].AsString,
        Confidence = document["confidence"].AsDouble,
        Cached = document["cached"].AsBoolean,
        ElapsedMs = document["elapsed_ms"].AsDouble,
        PolicyRevision = document["policy_revision"].AsString,
        Subject = document["subject"].AsString,
        Summary = document["summary"].AsString,
        Error = document["error"].IsNull ? null : document["error"].AsString,
        ToolUseId = document["tool_use_id"].AsString,
        ResponseJson = document["response"].AsString,
        ContextJson = document["context"].AsString,
    };

    public static BsonDocument ToDocument(ToolOutcomeRecord outcome) => new()
    {
        ["_id"] = ObjectId.NewObjectId(),
        ["tool_use_id"] = outcome.ToolUseId,
        ["session_id"] = outcome.SessionId,
        ["timestamp"] = outcome.Timestamp.UtcDateTime,
        ["tool_name"] = outcome.ToolName,
        ["status"] = outcome.Status,
        ["detail"] = outcome.Detail,
    };

    public static ToolOutcomeRecord ToOutcome(BsonDocument document) => new()
    {
        ToolUseId = document["tool_use_id"].AsString,
        SessionId = document["session_id"].AsString,
        Timestamp = Utc(document["timestamp"]),
        ToolName = document["tool_name"].AsString,
        Status = document["status"].AsString,
        Detail = document["detail"].AsString,
    };

    public static BsonDocument ToDocument(SessionRecord session) => new()
    {
        ["_id"] = session.SessionId,
        ["created_at"] = session.CreatedAt.UtcDateTime,
        ["updated_at"] = session.UpdatedAt.UtcDateTime,
        ["correlation_ids"] = new BsonArray(session.CorrelationIds.Select(id => new BsonValue(id))),
        ["decision_ids"] = new BsonArray(session.DecisionIds.Select(id => new BsonValue(id))),
        ["metrics"] = new BsonDocument
        {
            ["total_requests"] = session.Metrics.TotalRequests,
            ["cache_hits"] = session.Metrics.CacheHits,
            ["cache_misses"] = session.Metrics.CacheMisses,
            ["errors"] = session.Metrics.Errors,
            ["avg_response_time"] = session.Metrics.AvgResponseTime,
        },
    };

    public static SessionRecord ToSession(BsonDocument document)
    {
        var metrics = document["metrics"].AsDocument;
        return new SessionRecord
        {
            SessionId = document["_id"].AsString,
            CreatedAt = Utc(document["created_at"]),
            UpdatedAt = Utc(document["updated_at"]),
            CorrelationIds = document["correlation_ids"].AsArray.Select(v => v.AsString).ToArray(),
            DecisionIds = document["decision_ids"].AsArray.Select(v => v.AsString).ToArray(),
            Metrics = new SessionMetrics
            {
                TotalRequests = metrics["total_requests"].AsInt64,
                CacheHits = metrics["cache_hits"].AsInt64,
                CacheMisses = metrics["cache_misses"].AsInt64,
                Errors = metrics["errors"].AsInt64,
                AvgResponseTime = metrics["avg_response_time"].AsDouble,
            },
        };
    }

    private static DateTimeOffset Utc(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime.ToUniversalTime(), DateTimeKind.Utc));
}
