using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>Many writers at once through the single writer thread: nothing lost, nothing doubled, sessions exact.</summary>
public sealed class ConcurrentAppendTests
{
    private const int Writers = 8;
    private const int PerWriter = 250;
    private const int Total = Writers * PerWriter;

    [Theory]
    [InlineData("sync")]
    [InlineData("batched")]
    public async Task AppendAsync_EightWritersConcurrently_StoresEveryRecordExactlyOnce(string durability)
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions
        {
            Durability = durability,
            BatchWindow = TimeSpan.FromMilliseconds(20),
            SessionIdHistory = Total,
        });
        var records = Enumerable.Range(0, Writers).Select(Batch).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = records.Select(batch => Task.Run(async () =>
        {
            await start.Task;
            foreach (var record in batch)
            {
                await harness.Store.AppendAsync(record, CancellationToken.None);
            }
        })).ToArray();

        start.SetResult();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));
        await harness.Store.FlushAsync(CancellationToken.None).Within();

        await AssertEverythingStored(harness.Store, records);
        await Bounded.Run(() => harness.Reopen());
        await AssertEverythingStored(harness.Store, records);
    }

    private static DecisionRecord[] Batch(int writer)
    {
        var faker = SampleRecords.Seeded(1000 + writer);
        return Enumerable.Range(0, PerWriter).Select(i =>
        {
            var random = SampleRecords.Random(faker, "shared", SampleRecords.Epoch.AddMilliseconds((i * Writers) + writer));
            // One operation name per writer, so each writer's records fit in one query (limit 500).
            return new DecisionRecord
            {
                DecisionId = $"w{writer}-{i:000}",
                CorrelationId = random.CorrelationId,
                SessionId = "shared",
                Timestamp = random.Timestamp,
                Operation = $"writer-{writer}",
                Kind = random.Kind,
                Verdict = random.Verdict,
                Cached = random.Cached,
                Error = random.Error,
                ElapsedMs = random.ElapsedMs,
                Subject = random.Subject,
            };
        }).ToArray();
    }

    private static async Task AssertEverythingStored(LiteDbDecisionStore store, DecisionRecord[][] records)
    {
        var stored = new List<string>();
        for (var writer = 0; writer < Writers; writer++)
        {
            var found = await store.QueryAsync(new DecisionQuery { Operation = $"writer-{writer}", Limit = DecisionQuery.MaxLimit }, CancellationToken.None).Within();
            Assert.Equal(PerWriter, found.Count);
            stored.AddRange(found.Select(r => r.DecisionId));
        }
        var expected = records.SelectMany(batch => batch).ToArray();
        Assert.Equal(expected.Select(r => r.DecisionId).Order(), stored.Order());

        var session = await store.GetSessionAsync("shared", CancellationToken.None).Within();
        Assert.NotNull(session);
        Assert.Equal(Total, session.Metrics.TotalRequests);
        Assert.Equal(expected.Count(r => r.Cached), session.Metrics.CacheHits);
        Assert.Equal(expected.Count(r => r.Error is not null), session.Metrics.Errors);
        Assert.Equal(expected.Average(r => r.ElapsedMs), session.Metrics.AvgResponseTime, 6);
        Assert.Equal(Total, session.DecisionIds.Count);
        Assert.Equal(Total, session.DecisionIds.Distinct().Count());
        // Interleaved between writers, but each writer's own records keep their order.
        for (var writer = 0; writer < Writers; writer++)
        {
            var prefix = $"w{writer}-";
            Assert.Equal(records[writer].Select(r => r.DecisionId), session.DecisionIds.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }
}
