using Governance.Abstractions.Decisions;
using Governance.Core.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Core.Tests.Caching;

public sealed class LruDecisionCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Set_BeyondMaxSize_EvictsLeastRecentlyUsedNotNewest()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 3, Ttl = TimeSpan.FromMinutes(5) }, _time);
        cache.Set("a", D("a"));
        cache.Set("b", D("b"));
        cache.Set("c", D("c"));
        Assert.True(cache.TryGet("a", out _)); // a is now the most recently used; b is the oldest

        cache.Set("d", D("d"));

        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("d", out var newest));
        Assert.Equal("d", newest.DecisionId);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Set_ManyEntries_EvictsInExactUseOrder()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 4, Ttl = TimeSpan.FromMinutes(5) }, _time);
        foreach (var key in new[] { "1", "2", "3", "4" })
        {
            cache.Set(key, D(key));
        }
        cache.TryGet("1", out _);
        cache.TryGet("3", out _);
        // use order now, oldest first: 2, 4, 1, 3

        cache.Set("5", D("5"));
        cache.Set("6", D("6"));

        Assert.False(cache.TryGet("2", out _));
        Assert.False(cache.TryGet("4", out _));
        Assert.True(cache.TryGet("1", out _));
        Assert.True(cache.TryGet("3", out _));
    }

    [Fact]
    public void TryGet_AfterTtl_MissesAndDropsEntry()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 10, Ttl = TimeSpan.FromSeconds(300) }, _time);
        cache.Set("k", D("k"));

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.True(cache.TryGet("k", out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("k", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryGet_HitDoesNotExtendTtl()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 10, Ttl = TimeSpan.FromSeconds(10) }, _time);
        cache.Set("k", D("k"));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(cache.TryGet("k", out _));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(cache.TryGet("k", out _));
    }

    [Fact]
    public void Set_ExistingKey_ReplacesValueAndRefreshesTtl()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 2, Ttl = TimeSpan.FromSeconds(10) }, _time);
        cache.Set("k", D("old"));
        _time.Advance(TimeSpan.FromSeconds(8));
        cache.Set("k", D("new"));
        _time.Advance(TimeSpan.FromSeconds(8));

        Assert.True(cache.TryGet("k", out var value));
        Assert.Equal("new", value.DecisionId);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LruDecisionCache(new CacheOptions { MaxSize = 0 }, _time));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LruDecisionCache(new CacheOptions { Ttl = TimeSpan.Zero }, _time));
    }

    [Fact]
    public async Task SetAndGet_Concurrently_NeverExceedsMaxSize()
    {
        var cache = new LruDecisionCache(new CacheOptions { MaxSize = 50, Ttl = TimeSpan.FromMinutes(5) }, TimeProvider.System);
        await Parallel.ForAsync(0, 20_000, (i, token) =>
        {
            var key = (i % 200).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!cache.TryGet(key, out _))
            {
                cache.Set(key, D(key));
            }
            return ValueTask.CompletedTask;
        });

        Assert.InRange(cache.Count, 1, 50);
    }

    private static Decision D(string id) => new() { DecisionId = id, CorrelationId = id, SessionId = "s" };
}
