using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// Batched durability: an append completes when queued, a flush or a clean shutdown writes everything queued.
/// Real time here: with a fake clock the batch window never closes by itself.
/// </summary>
public sealed class BatchedDurabilityTests
{
    private static readonly TimeSpan ShortWindow = TimeSpan.FromMilliseconds(20);

    private static DecisionRecord[] Records(int count, int seed = 3)
    {
        var faker = SampleRecords.Seeded(seed);
        return Enumerable.Range(0, count)
            .Select(i => SampleRecords.Random(faker, "session-" + (i % 4), SampleRecords.Epoch.AddMilliseconds(i * 10)))
            .ToArray();
    }

    /// <summary>Whether the append had already completed when it returned; awaits it either way.</summary>
    private static async Task<bool> CompletedAtOnce(ValueTask append)
    {
        var completed = append.IsCompletedSuccessfully;
        await append.Within();
        return completed;
    }

    private static async Task<Dictionary<string, DecisionRecord>> All(LiteDbDecisionStore store) =>
        (await store.QueryAsync(new DecisionQuery { Limit = DecisionQuery.MaxLimit }, CancellationToken.None).Within()).ToDictionary(r => r.DecisionId);

    [Fact]
    public async Task AppendAsync_Batched_CompletesBeforeTheGroupIsCommitted()
    {
        // A window far longer than the test: nothing can be committed until the store is flushed or disposed.
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = TimeSpan.FromMinutes(5) });
        var records = Records(10);

        foreach (var record in records)
        {
            Assert.True(await CompletedAtOnce(harness.Store.AppendAsync(record, CancellationToken.None)), "a batched append must complete when queued");
        }

        Assert.Empty(await All(harness.Store));
    }

    [Fact]
    public async Task FlushAsync_Batched_MakesEveryAppendQueryable()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = ShortWindow });
        var records = Records(150);

        foreach (var record in records)
        {
            Assert.True(await CompletedAtOnce(harness.Store.AppendAsync(record, CancellationToken.None)));
        }
        await harness.Store.FlushAsync(CancellationToken.None).Within();
        var found = await All(harness.Store);

        Assert.Equal(records.Length, found.Count);
        foreach (var record in records)
        {
            SampleRecords.AssertSame(record, found[record.DecisionId]);
        }
        var totals = 0L;
        for (var s = 0; s < 4; s++)
        {
            totals += (await harness.Store.GetSessionAsync("session-" + s, CancellationToken.None).Within())!.Metrics.TotalRequests;
        }
        Assert.Equal(records.Length, totals);
    }

    [Fact]
    public async Task FlushAsync_MoreThanOneBatchQueued_WritesAllGroups()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = ShortWindow, BatchMaxSize = 16 });
        var records = Records(200);

        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        await harness.Store.FlushAsync(CancellationToken.None).Within();

        Assert.Equal(records.Select(r => r.DecisionId).Order(), (await All(harness.Store)).Keys.Order());
    }

    [Fact]
    public async Task FlushAsync_NothingQueued_Completes()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = ShortWindow });

        await harness.Store.FlushAsync(CancellationToken.None).Within();

        Assert.Empty(await All(harness.Store));
    }

    [Fact]
    public async Task Dispose_BatchedWithoutFlush_ReopenedFileHasEveryRecord()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = ShortWindow });
        var records = Records(300);
        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }

        await Bounded.Run(() => harness.Reopen());
        var found = await All(harness.Store);

        Assert.Equal(records.Length, found.Count);
        foreach (var record in records)
        {
            SampleRecords.AssertSame(record, found[record.DecisionId]);
        }
        var session = await harness.Store.GetSessionAsync("session-1", CancellationToken.None).Within();
        Assert.Equal(records.Count(r => r.SessionId == "session-1"), session!.Metrics.TotalRequests);
    }

    [Fact]
    public async Task Dispose_WhileLongWindowIsOpen_WritesQueuedRecordsWithoutWaitingOutTheWindow()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = TimeSpan.FromMinutes(5) });
        var records = Records(25);
        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }

        // Bounded well under the window: shutdown must not wait five minutes, and must not drop the group.
        await Bounded.Run(() => harness.Reopen());

        Assert.Equal(records.Select(r => r.DecisionId).Order(), (await All(harness.Store)).Keys.Order());
    }

    [Fact]
    public async Task FlushAsync_OneRecordTooLargeInGroup_OtherRecordsOfTheGroupAreKept()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched", BatchWindow = TimeSpan.FromMilliseconds(200) });
        var before = SampleRecords.Make("before", timestamp: SampleRecords.Epoch);
        var huge = SampleRecords.Make("huge", timestamp: SampleRecords.Epoch.AddSeconds(1), subject: new string('x', 17_000_000));
        var after = SampleRecords.Make("after", timestamp: SampleRecords.Epoch.AddSeconds(2));

        foreach (var record in new[] { before, huge, after })
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        await harness.Store.FlushAsync(CancellationToken.None).Within();

        Assert.Equal(["after", "before"], (await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Select(r => r.DecisionId));
        Assert.Equal(2, (await harness.Store.GetSessionAsync("session-1", CancellationToken.None).Within())!.Metrics.TotalRequests);
    }
}
