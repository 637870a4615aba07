using Governance.Abstractions.Caching;
using Governance.Abstractions.Decisions;

namespace Governance.Core.Caching;

/// <summary>
/// A true LRU with TTL: a hit moves the entry to the front, a full cache evicts the least recently used entry
/// (never refuses the new one), and an entry older than the TTL is a miss and is dropped.
/// </summary>
public sealed class LruDecisionCache : IDecisionCache
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _index;
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly int _maxSize;

    public LruDecisionCache(CacheOptions options, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSize, 1, nameof(options.MaxSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Ttl, TimeSpan.Zero, nameof(options.Ttl));
        _time = time;
        _ttl = options.Ttl;
        _maxSize = options.MaxSize;
        _index = new Dictionary<string, LinkedListNode<Entry>>(options.MaxSize, StringComparer.Ordinal);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    public bool TryGet(string key, out Decision decision)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                if (now - node.Value.StoredAt < _ttl)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    decision = node.Value.Decision;
                    return true;
                }
                _recency.Remove(node);
                _index.Remove(key);
            }
        }
        decision = null!;
        return false;
    }

    public void Set(string key, Decision decision)
    {
        var entry = new Entry(key, decision, _time.GetUtcNow());
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var existing))
            {
                existing.Value = entry;
                _recency.Remove(existing);
                _recency.AddFirst(existing);
                return;
            }
            while (_index.Count >= _maxSize && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
            _index[key] = _recency.AddFirst(entry);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _index.Clear();
            _recency.Clear();
        }
    }

    private sealed record Entry(string Key, Decision Decision, DateTimeOffset StoredAt);
}
