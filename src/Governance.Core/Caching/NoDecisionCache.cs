using Governance.Abstractions.Caching;
using Governance.Abstractions.Decisions;

namespace Governance.Core.Caching;

/// <summary>The cache when <c>cache.type</c> is <c>none</c>: every lookup misses.</summary>
public sealed class NoDecisionCache : IDecisionCache
{
    public int Count => 0;

    public bool TryGet(string key, out Decision decision)
    {
        decision = null!;
        return false;
    }

    public void Set(string key, Decision decision)
    {
    }

    public void Clear()
    {
    }
}
