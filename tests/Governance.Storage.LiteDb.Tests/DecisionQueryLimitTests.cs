using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>The limit is clamped to 1..500 and always keeps the newest records.</summary>
public sealed class DecisionQueryLimitTests(DecisionQueryLimitTests.Fixture fixture) : IClassFixture<DecisionQueryLimitTests.Fixture>
{
    public const int Stored = 510;

    [Theory]
    [InlineData(int.MinValue, 1)]
    [InlineData(-3, 1)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(7, 7)]
    [InlineData(500, 500)]
    [InlineData(501, 500)]
    [InlineData(int.MaxValue, 500)]
    public async Task QueryAsync_Limit_IsClampedAndKeepsNewest(int limit, int expected)
    {
        var found = await fixture.Harness.Store.QueryAsync(new DecisionQuery { Limit = limit }, CancellationToken.None).Within();

        Assert.Equal(Enumerable.Range(Stored - expected, expected).Reverse().Select(Id), found.Select(r => r.DecisionId));
    }

    [Fact]
    public async Task QueryAsync_LimitWithFilter_CountsOnlyMatchingRecords()
    {
        var found = await fixture.Harness.Store.QueryAsync(new DecisionQuery { Verdict = "deny", Limit = 3 }, CancellationToken.None).Within();

        // Every fifth record is a deny: the three newest of those.
        Assert.Equal(["d0505", "d0500", "d0495"], found.Select(r => r.DecisionId));
    }

    internal static string Id(int i) => $"d{i:0000}";

    /// <summary>510 records, written once for the class, through the batched path.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal StoreHarness Harness { get; } = new(new LiteDbStoreOptions { BatchWindow = TimeSpan.FromMilliseconds(20) });

        public async Task InitializeAsync()
        {
            for (var i = 0; i < Stored; i++)
            {
                var record = SampleRecords.Make(Id(i), verdict: i % 5 == 0 ? "deny" : "allow", timestamp: SampleRecords.Epoch.AddSeconds(i));
                await Harness.Store.AppendAsync(record, CancellationToken.None).Within();
            }
            await Harness.Store.FlushAsync(CancellationToken.None).Within();
        }

        public Task DisposeAsync()
        {
            Harness.Dispose();
            return Task.CompletedTask;
        }
    }
}
