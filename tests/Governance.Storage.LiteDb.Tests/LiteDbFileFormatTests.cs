using LiteDB;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>The file on disk is plain LiteDB with a stable, snake_case layout that other tools can open.</summary>
public sealed class LiteDbFileFormatTests
{
    private static readonly string[] DecisionFields =
    [
        "_id", "correlation_id", "session_id", "timestamp", "operation", "kind", "verdict", "confidence", "cached",
        "elapsed_ms", "policy_revision", "subject", "summary", "error", "tool_use_id", "response", "context",
    ];

    /// <summary>Writes one decision with an error and one without, closes the store, returns the file path.</summary>
    private static async Task<string> WrittenFile(StoreHarness harness)
    {
        await harness.Store.AppendAsync(SampleRecords.Make("ok", sessionId: "s1", elapsedMs: 12.5, cached: true), CancellationToken.None).Within();
        await harness.Store.AppendAsync(
            SampleRecords.Make("failed", sessionId: "s1", verdict: "error", error: "bad context", timestamp: SampleRecords.Epoch.AddSeconds(1)),
            CancellationToken.None).Within();
        await harness.Store.FlushAsync(CancellationToken.None).Within();
        await Bounded.Run(harness.Store.Dispose);
        return harness.FilePath;
    }

    [Fact]
    public void Constructor_FolderMissing_CreatesFolderAndFileAtFullPath()
    {
        using var harness = new StoreHarness();

        Assert.True(Path.IsPathFullyQualified(harness.Store.FilePath));
        Assert.Equal(Path.GetFullPath(harness.FilePath), harness.Store.FilePath);
        Assert.True(File.Exists(harness.Store.FilePath));
    }

    [Fact]
    public async Task Dispose_ThenOpenWithLiteDatabase_HasDecisionsAndSessionsCollections()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        var path = await WrittenFile(harness);

        using var db = new LiteDatabase(path);

        Assert.Contains("decisions", db.GetCollectionNames());
        Assert.Contains("sessions", db.GetCollectionNames());
        Assert.Equal(2, db.GetCollection("decisions").Count());
        Assert.Equal(1, db.GetCollection("sessions").Count());
    }

    [Fact]
    public async Task Dispose_ThenOpenWithLiteDatabase_DecisionsHaveAnIndexOnEachFilterField()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        var path = await WrittenFile(harness);

        using var db = new LiteDatabase(path);
        var expressions = db.GetCollection("$indexes").Query().Where("collection = @0", "decisions").ToList()
            .Select(i => i["expression"].AsString)
            .ToHashSet();

        Assert.Superset(new HashSet<string> { "$._id", "$.session_id", "$.correlation_id", "$.operation", "$.verdict", "$.timestamp" }, expressions);
    }

    [Fact]
    public async Task Dispose_ThenOpenWithLiteDatabase_DecisionIndexesAreNamedAfterTheirFields()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        var path = await WrittenFile(harness);

        using var db = new LiteDatabase(path);
        var indexes = db.GetCollection("$indexes").Query().Where("collection = @0", "decisions").ToList();

        foreach (var field in new[] { "session_id", "correlation_id", "operation", "verdict", "timestamp" })
        {
            var index = Assert.Single(indexes, i => i["name"].AsString == field);
            Assert.Equal("$." + field, index["expression"].AsString);
        }
    }

    [Fact]
    public async Task Dispose_ThenOpenWithLiteDatabase_DecisionDocumentUsesSnakeCaseFields()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        var path = await WrittenFile(harness);

        using var db = new LiteDatabase(path);
        var ok = db.GetCollection("decisions").FindById("ok");
        var failed = db.GetCollection("decisions").FindById("failed");

        Assert.Equal(DecisionFields.Order(StringComparer.Ordinal), ok.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(BsonType.DateTime, ok["timestamp"].Type);
        Assert.Equal(BsonType.Boolean, ok["cached"].Type);
        Assert.Equal(BsonType.Double, ok["elapsed_ms"].Type);
        Assert.Equal(BsonType.Double, ok["confidence"].Type);
        Assert.Equal(12.5, ok["elapsed_ms"].AsDouble);
        Assert.Equal("s1", ok["session_id"].AsString);
        Assert.True(ok["error"].IsNull);
        Assert.Equal("bad context", failed["error"].AsString);
        Assert.Equal(SampleRecords.Epoch.UtcDateTime.AddSeconds(1), failed["timestamp"].AsDateTime.ToUniversalTime());
    }

    [Fact]
    public async Task Dispose_ThenOpenWithLiteDatabase_SessionDocumentUsesSnakeCaseFields()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        var path = await WrittenFile(harness);

        using var db = new LiteDatabase(path);
        var session = db.GetCollection("sessions").FindById("s1");

        Assert.Equal(new[] { "_id", "correlation_ids", "created_at", "decision_ids", "metrics", "updated_at" }, session.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["ok", "failed"], session["decision_ids"].AsArray.Select(v => v.AsString));
        var metrics = session["metrics"].AsDocument;
        Assert.Equal(new[] { "avg_response_time", "cache_hits", "cache_misses", "errors", "total_requests" }, metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, metrics["total_requests"].AsInt64);
        Assert.Equal(1, metrics["cache_hits"].AsInt64);
        Assert.Equal(0, metrics["cache_misses"].AsInt64);
        Assert.Equal(1, metrics["errors"].AsInt64);
    }
}
