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

        Assert.True(await batch.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task NextBatch_AfterABatch_WaitsForTheNextChange()
    {
        using var debouncer = new ChangeDebouncer(_time, TimeSpan.FromMilliseconds(100));
        debouncer.Notify();
        var first = debouncer.NextBatchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(await first.WaitAsync(TimeSpan.FromSeconds(10)));

        var second = debouncer.NextBatchAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(second.IsCompleted); // nothing changed

        debouncer.Notify();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
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
