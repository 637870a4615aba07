using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>Shutdown: Dispose is safe to repeat, and a disposed store refuses work with a clear exception.</summary>
public sealed class StoreDisposeTests
{
    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task Dispose_CalledTwice_DoesNotThrowAndKeepsRecords(string durability)
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = durability, BatchWindow = TimeSpan.FromMilliseconds(20) });
        await harness.Store.AppendAsync(SampleRecords.Make("d1"), CancellationToken.None).Within();

        await Bounded.Run(harness.Store.Dispose);
        await Bounded.Run(harness.Store.Dispose);
        var reopened = harness.Reopen();

        Assert.Equal(["d1"], (await reopened.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Select(r => r.DecisionId));
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposedException(string durability)
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = durability, BatchWindow = TimeSpan.FromMilliseconds(20) });
        await Bounded.Run(harness.Store.Dispose);

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await harness.Store.AppendAsync(SampleRecords.Make("late"), CancellationToken.None).Within());
    }

    [Fact]
    public async Task FlushAsync_AfterDispose_ThrowsObjectDisposedException()
    {
        using var harness = new StoreHarness();
        await Bounded.Run(harness.Store.Dispose);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Store.FlushAsync(CancellationToken.None).Within());
    }

    [Fact]
    public async Task QueryAndGetSession_AfterDispose_ThrowObjectDisposedException()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        await harness.Store.AppendAsync(SampleRecords.Make("d1"), CancellationToken.None).Within();
        await Bounded.Run(harness.Store.Dispose);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => harness.Store.GetSessionAsync("session-1", CancellationToken.None).Within());
    }

    [Fact]
    public async Task Dispose_ReleasesTheFile_SoAnotherStoreOpensIt()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        await harness.Store.AppendAsync(SampleRecords.Make("d1", sessionId: "s1"), CancellationToken.None).Within();

        await Bounded.Run(() => harness.Reopen());
        await harness.Store.AppendAsync(SampleRecords.Make("d2", sessionId: "s1", timestamp: SampleRecords.Epoch.AddSeconds(1)), CancellationToken.None).Within();

        Assert.Equal(["d2", "d1"], (await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Select(r => r.DecisionId));
    }
}
