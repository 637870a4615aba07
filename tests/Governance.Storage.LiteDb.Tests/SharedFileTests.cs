using Governance.Abstractions.Storage;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// Several stores on one file at once, as the stdio server, command hooks and the CLI are: every store sees the
/// others' records, and concurrent writers into the same session lose nothing. (The cross-process version runs the
/// published executable in Governance.Server.Tests.)
/// </summary>
public sealed class SharedFileTests : IDisposable
{
    private const int Stores = 4;
    private const int PerStore = 150;
    private readonly TempDirectory _directory = new("governance-litedb-shared");

    public void Dispose() => _directory.Dispose();

    private LiteDbDecisionStore Open(string durability) =>
        new(new LiteDbStoreOptions
        {
            Path = _directory.Combine("data", "governance.db"),
            Durability = durability,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            SessionIdHistory = Stores * PerStore
        }, TimeProvider.System, NullLogger<LiteDbDecisionStore>.Instance);

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_FourStoresOnOneFileConcurrently_EveryRecordAndTheWholeSessionSurvive(string durability)
    {
        var stores = Enumerable.Range(0, Stores).Select(_ => Open(durability)).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = stores.Select((store, index) => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < PerStore; i++)
            {
                await store.AppendAsync(SampleRecords.Make($"s{index}-{i:000}", sessionId: "shared", operation: $"store-{index}"), CancellationToken.None);
            }
            await store.FlushAsync(CancellationToken.None);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));
        foreach (var store in stores)
        {
            await Bounded.Run(store.Dispose);
        }

        using var reader = Open("sync");
        for (var index = 0; index < Stores; index++)
        {
            var found = await reader.QueryAsync(new DecisionQuery { Operation = $"store-{index}", Limit = DecisionQuery.MaxLimit }, CancellationToken.None).Within();
            Assert.Equal(Enumerable.Range(0, PerStore).Select(i => $"s{index}-{i:000}"), found.Select(r => r.DecisionId).Order(StringComparer.Ordinal));
        }
        // The session is read and rewritten by every store's group commit: a stale read would lose another store's count.
        var session = await reader.GetSessionAsync("shared", CancellationToken.None).Within();
        Assert.NotNull(session);
        Assert.Equal(Stores * PerStore, session.Metrics.TotalRequests);
        Assert.Equal(Stores * PerStore, session.DecisionIds.Distinct().Count());
    }

    [Fact]
    public async Task QueryAsync_RecordAppendedThroughAnotherOpenStore_IsVisibleAtOnce()
    {
        using var server = Open("batched");
        using var hook = Open("sync");
        Assert.Empty(await server.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());

        await hook.AppendAsync(SampleRecords.Make("from-hook", sessionId: "claude-1"), CancellationToken.None).Within();

        var seen = await server.QueryAsync(new DecisionQuery { SessionId = "claude-1" }, CancellationToken.None).Within();
        Assert.Equal(["from-hook"], seen.Select(r => r.DecisionId));
    }
}
