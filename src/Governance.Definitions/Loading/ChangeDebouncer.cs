namespace Governance.Definitions.Loading;

/// <summary>
/// Turns a burst of file events into one reload: a batch is ready once no change has arrived for the quiet
/// period (editors save in several steps: truncate, write, rename). Time comes from the TimeProvider.
/// </summary>
public sealed class ChangeDebouncer(TimeProvider time, TimeSpan quietPeriod) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();
    private long _lastChange;
    private bool _pending;
    private bool _flag;

    public TimeSpan QuietPeriod { get; } = quietPeriod;

    /// <summary>Records a change; <paramref name="flag"/> is OR-ed over the batch (e.g. "the configuration changed").</summary>
    public void Notify(bool flag = false)
    {
        lock (_gate)
        {
            _lastChange = time.GetTimestamp();
            _flag |= flag;
            if (_pending)
            {
                return;
            }
            _pending = true;
        }
        _signal.Release();
    }

    /// <summary>Waits for a change, then for the quiet period after the latest one; returns the batch's flag.</summary>
    public async Task<bool> NextBatchAsync(CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(cancellationToken);
        while (true)
        {
            TimeSpan remaining;
            lock (_gate)
            {
                remaining = QuietPeriod - time.GetElapsedTime(_lastChange);
                if (remaining <= TimeSpan.Zero)
                {
                    var flag = _flag;
                    _pending = false;
                    _flag = false;
                    return flag;
                }
            }
            await Task.Delay(remaining, time, cancellationToken);
        }
    }

    public void Dispose() => _signal.Dispose();
}
