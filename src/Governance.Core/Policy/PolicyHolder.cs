using Governance.Abstractions.Policy;

namespace Governance.Core.Policy;

/// <summary>Holds the current policy snapshot; a swap replaces one reference, readers never see a torn policy.</summary>
public sealed class PolicyHolder : IPolicyProvider
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PolicySnapshot _current;

    /// <param name="initial">The snapshot to serve.</param>
    /// <param name="loaded">False for a placeholder: requests wait for the first <see cref="Swap"/>.</param>
    public PolicyHolder(PolicySnapshot initial, bool loaded = true)
    {
        _current = initial;
        if (loaded)
        {
            _loaded.SetResult();
        }
    }

    public PolicySnapshot Current => Volatile.Read(ref _current);

    public Task Loaded => _loaded.Task;

    /// <summary>Replaces the snapshot and returns the previous one.</summary>
    public PolicySnapshot Swap(PolicySnapshot next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        _loaded.TrySetResult();
        return previous;
    }
}
