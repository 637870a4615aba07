using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Caching;

/// <summary>Caches decisions by a key that already includes the policy revision.</summary>
public interface IDecisionCache
{
    bool TryGet(string key, out Decision decision);
    void Set(string key, Decision decision);
    int Count { get; }
    void Clear();
}
