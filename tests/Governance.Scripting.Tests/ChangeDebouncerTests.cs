using Governance.Definitions.Loading;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Scripting.Tests;

public sealed class ChangeDebouncerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task NextBatch_BurstOfChanges_OneBatchAfterQuietPeriodFromTheLastChange()
    {
        using var debouncer = new ChangeDebouncer(_time, TimeSpan.FromMilliseconds(300));
        var batch = debouncer.NextBatchAsync(CancellationToken.None);

        debouncer.Notify();
        _time.Advance(TimeSpan.FromMilliseconds(200));
        debouncer.Notify(flag: true); // an editor's second write
        _time.Advance(TimeSpan.FromMilliseconds(150));
        await Task.Delay(50);
        Assert.False(batch.IsCompleted); // 150 ms since the last change

        _time.Advance(TimeSpan.FromMilliseconds(150));

        Assert.True(await PumpAsync(batch));
    }

    [Fact]
    public async Task NextBatch_AfterABatch_WaitsForTheNextChange()
    {
        using var debouncer = new ChangeDebouncer(_time, TimeSpan.FromMilliseconds(100));
        debouncer.Notify();
        var first = debouncer.NextBatchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(await PumpAsync(first));

        var second = debouncer.NextBatchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(second.IsCompleted); // nothing changed

        debouncer.Notify();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await PumpAsync(second);
    }

    /// <summary>
    /// Lets fake time keep passing until the batch completes. The debouncer reads the clock and then registers its
    /// delay; a test advancing the clock between the two would otherwise strand the delay in the future.
    /// </summary>
    private async Task<T> PumpAsync<T>(Task<T> batch)
    {
        for (var i = 0; i < 500 && !batch.IsCompleted; i++)
        {
            await Task.Delay(10);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
        return await batch.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task NextBatch_Cancelled_Throws()
    {
        using var debouncer = new ChangeDebouncer(_time, TimeSpan.FromMilliseconds(100));
        using var cancel = new CancellationTokenSource();
        var batch = debouncer.NextBatchAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch);
    }
}
