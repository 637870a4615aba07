using Governance.Abstractions.Policy;

namespace Governance.Core.Policy;

/// <summary>Holds the current policy snapshot; a swap replaces one reference, readers never see a torn policy.</summary>
public sealed class PolicyHolder : IPolicyProvider
{
    private PolicySnapshot _current;

    public PolicyHolder(PolicySnapshot initial) => _current = initial;

    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Replaces the snapshot and returns the previous one.</summary>
    public PolicySnapshot Swap(PolicySnapshot next) => Interlocked.Exchange(ref _current, next);
}
