using Governance.Abstractions.Storage;
using LiteDB;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>Sync durability: an append returns only once its record and session are committed.</summary>
public sealed class SyncDurabilityTests
{
    private static StoreHarness SyncStore() =>
        new(new LiteDbStoreOptions { Durability = "sync" }, new FakeTimeProvider(SampleRecords.Epoch));

    [Theory]
    [InlineData("sync", true)]
    [InlineData("SYNC", true)]
    [InlineData("Sync", true)]
    [InlineData("batched", false)]
    [InlineData("", false)]
    public void IsSync_DurabilityName_IsReadIgnoringCase(string durability, bool expected)
    {
        Assert.Equal(expected, new LiteDbStoreOptions { Durability = durability }.IsSync);
    }

    [Fact]
    public async Task AppendAsync_Sync_RecordAndSessionAreVisibleWhenAppendReturns()
    {
        using var harness = SyncStore();
        var faker = SampleRecords.Seeded(17);

        for (var i = 0; i < 25; i++)
        {
            var record = SampleRecords.Random(faker, "s", SampleRecords.Epoch.AddSeconds(i));
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();

            var found = await harness.Store.QueryAsync(new DecisionQuery { CorrelationId = record.CorrelationId }, CancellationToken.None).Within();
            SampleRecords.AssertSame(record, Assert.Single(found));
            var session = await harness.Store.GetSessionAsync("s", CancellationToken.None).Within();
            Assert.Equal(i + 1, session!.Metrics.TotalRequests);
            Assert.Equal(record.DecisionId, session.DecisionIds[^1]);
        }
    }

    [Fact]
    public async Task AppendAsync_SyncUpperCaseDurability_IsAlsoVisibleWithoutFlush()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "SYNC" }, new FakeTimeProvider(SampleRecords.Epoch));

        await harness.Store.AppendAsync(SampleRecords.Make("d1"), CancellationToken.None).Within();

        Assert.Single(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());
    }

    [Fact]
    public async Task AppendAsync_SyncRecordTooLargeForLiteDb_ThrowsAndLaterAppendsSucceed()
    {
        using var harness = SyncStore();
        var huge = SampleRecords.Make("huge", subject: new string('x', 17_000_000));

        await Assert.ThrowsAsync<LiteException>(async () => await harness.Store.AppendAsync(huge, CancellationToken.None).Within());
        await harness.Store.AppendAsync(SampleRecords.Make("fine"), CancellationToken.None).Within();

        Assert.Equal(["fine"], (await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Select(r => r.DecisionId));
        // The failed record's session update was rolled back with it.
        Assert.Equal(1, (await harness.Store.GetSessionAsync("session-1", CancellationToken.None).Within())!.Metrics.TotalRequests);
    }

    [Fact]
    public async Task AppendAsync_CancelledBeforeAppend_ThrowsAndStoresNothing()
    {
        using var harness = SyncStore();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await harness.Store.AppendAsync(SampleRecords.Make("d1"), cancelled.Token).Within());
        await harness.Store.FlushAsync(CancellationToken.None).Within();

        Assert.Empty(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());
    }
}
