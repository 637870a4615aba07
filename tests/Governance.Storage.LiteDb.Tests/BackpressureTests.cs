using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// The writer holds at most BatchMaxSize records that are not yet on disk. An append beyond that waits for room
/// without blocking its thread, honours its token, and a crash can lose at most that one group.
/// The writer is held still by a job that waits on a gate, so which appends can complete is decided, not timed.
/// </summary>
public sealed class BackpressureTests
{
    private const int Room = 4;

    private static StoreHarness Batched() =>
        new(new LiteDbStoreOptions { Durability = "batched", BatchMaxSize = Room, BatchWindow = TimeSpan.FromMilliseconds(20) });

    /// <summary>Occupies the writer thread until the gate opens; returns once the writer is inside the job, with the job's completion.</summary>
    private static async Task<Task<int>> HoldWriterAsync(LiteDbDecisionStore store, ManualResetEventSlim gate)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = store.OnWriterAsync(() =>
        {
            entered.SetResult();
            return gate.Wait(Bounded.Limit) ? 0 : throw new TimeoutException("the test never opened the gate");
        }, CancellationToken.None);
        await entered.Task.Within();
        return job;
    }

    private static async Task<string[]> StoredIds(LiteDbDecisionStore store) =>
        (await store.QueryAsync(new DecisionQuery { Limit = DecisionQuery.MaxLimit }, CancellationToken.None).Within()).Select(r => r.DecisionId).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task AppendAsync_BatchedWriterBusy_AnswersOnlyBatchMaxSizeThenWaitsWithoutBlocking()
    {
        using var harness = Batched();
        using var gate = new ManualResetEventSlim();
        var held = await HoldWriterAsync(harness.Store, gate);

        var answered = new List<Task>();
        for (var i = 0; i < Room; i++)
        {
            answered.Add(harness.Store.AppendAsync(SampleRecords.Make($"a{i}"), CancellationToken.None).AsTask());
        }
        // Each call returns at once (the thread is never blocked); past the room it returns a pending task.
        var waiting = Enumerable.Range(0, 10).Select(i => harness.Store.AppendAsync(SampleRecords.Make($"w{i}"), CancellationToken.None).AsTask()).ToArray();

        Assert.All(answered, a => Assert.True(a.IsCompletedSuccessfully, "an append within the room is answered at once"));
        Assert.All(waiting, w => Assert.False(w.IsCompleted, "an append beyond the room must wait for the disk"));
        gate.Set();
        await held.Within();
        foreach (var append in answered.Concat(waiting))
        {
            await append.Within();
        }
        await harness.Store.FlushAsync(CancellationToken.None).Within();
        Assert.Equal(14, (await StoredIds(harness.Store)).Length);
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileWaitingForRoom_ThrowsAndIsNeverStored()
    {
        using var harness = Batched();
        using var gate = new ManualResetEventSlim();
        var held = await HoldWriterAsync(harness.Store, gate);
        for (var i = 0; i < Room; i++)
        {
            await harness.Store.AppendAsync(SampleRecords.Make($"a{i}"), CancellationToken.None).Within();
        }
        using var cancel = new CancellationTokenSource();

        var waiting = harness.Store.AppendAsync(SampleRecords.Make("cancelled"), cancel.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        gate.Set();
        await held.Within();
        await harness.Store.FlushAsync(CancellationToken.None).Within();
        Assert.Equal(["a0", "a1", "a2", "a3"], await StoredIds(harness.Store));
    }

    [Fact]
    public async Task AppendAsync_SyncWriterBusy_NoAppendCompletesBeforeItsCommit()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync", BatchMaxSize = Room });
        using var gate = new ManualResetEventSlim();
        var held = await HoldWriterAsync(harness.Store, gate);

        var appends = Enumerable.Range(0, Room + 3).Select(i => harness.Store.AppendAsync(SampleRecords.Make($"s{i}"), CancellationToken.None).AsTask()).ToArray();

        Assert.All(appends, a => Assert.False(a.IsCompleted, "sync answers only after the commit"));
        gate.Set();
        await held.Within();
        foreach (var append in appends)
        {
            await append.Within();
        }
        Assert.Equal(Room + 3, (await StoredIds(harness.Store)).Length);
    }

    [Fact]
    public async Task Dispose_WhileAppendsWaitForRoom_EveryAnsweredAppendIsOnDiskAndNoneHangs()
    {
        using var harness = Batched();
        using var gate = new ManualResetEventSlim();
        var held = await HoldWriterAsync(harness.Store, gate);
        var appends = Enumerable.Range(0, 20).Select(i => (Id: $"d{i:00}", Task: harness.Store.AppendAsync(SampleRecords.Make($"d{i:00}"), CancellationToken.None).AsTask())).ToArray();

        gate.Set();
        await held.Within();
        await Bounded.Run(harness.Store.Dispose);
        var answered = new List<string>();
        foreach (var (id, task) in appends)
        {
            try
            {
                await task.Within();
                answered.Add(id);
            }
            catch (ObjectDisposedException)
            {
                // refused because the store closed first: never answered, so not promised
            }
        }

        var reopened = harness.Reopen();
        var stored = await StoredIds(reopened);
        Assert.Subset(stored.ToHashSet(), answered.ToHashSet());
        Assert.True(answered.Count >= Room, $"at least the first {Room} were answered, got {answered.Count}");
    }

    [Fact]
    public async Task OnWriterAsync_JobQueuedDuringDispose_IsCancelledNotRun()
    {
        using var harness = Batched();
        using var gate = new ManualResetEventSlim();
        var held = await HoldWriterAsync(harness.Store, gate);
        var ran = false;
        var late = harness.Store.OnWriterAsync(() => ran = true, CancellationToken.None);

        var disposing = Task.Run(harness.Store.Dispose);
        // Dispose marks the queue complete before it waits for the writer: the gate opens once the store is closing.
        Assert.True(SpinWait.SpinUntil(() => harness.Store.IsClosing, Bounded.Limit));
        gate.Set();
        await held.Within();
        await disposing.Within();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => late.Within());
        Assert.False(ran);
    }
}
