using Bogus;
using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// Filters combined at random over seeded records, checked against a plain LINQ reading of the query contract:
/// every filter optional, AND between them, newest first, limit clamped.
/// </summary>
public sealed class DecisionQueryCombinationTests(DecisionQueryCombinationTests.Fixture fixture) : IClassFixture<DecisionQueryCombinationTests.Fixture>
{
    private static readonly string[] Patterns = ["rm", "RM -RF", "git", ".env", "http", "src", "lorem", "100%", "a_b", "zzz"];

    [Fact]
    public async Task QueryAsync_RandomFilterCombinations_MatchLinqOracle()
    {
        var faker = SampleRecords.Seeded(99);
        var nonEmpty = 0;
        for (var i = 0; i < 150; i++)
        {
            var query = RandomQuery(faker);
            var expected = Oracle(fixture.Records, query);
            var found = await fixture.Harness.Store.QueryAsync(query, CancellationToken.None).Within();

            Assert.True(expected.SequenceEqual(found.Select(r => r.DecisionId)), $"query {i}: {query}\nexpected {string.Join(",", expected)}\nfound    {string.Join(",", found.Select(r => r.DecisionId))}");
            nonEmpty += expected.Count > 0 ? 1 : 0;
        }

        // Guard against an oracle that is trivially empty.
        Assert.True(nonEmpty > 60, $"only {nonEmpty} of 150 queries matched anything");
    }

    private static DecisionQuery RandomQuery(Faker f)
    {
        var (operation, kind) = f.PickRandom(SampleRecords.Operations);
        return new DecisionQuery
        {
            SessionId = f.Random.Bool(0.4f) ? f.PickRandom(Fixture.Sessions) : null,
            Operation = f.Random.Bool(0.4f) ? (f.Random.Bool() ? operation : kind) : null,
            Verdict = f.Random.Bool(0.4f) ? f.PickRandom(SampleRecords.Verdicts).ToUpperInvariant() : null,
            Pattern = f.Random.Bool(0.3f) ? f.PickRandom(Patterns) : null,
            Since = f.Random.Bool(0.3f) ? SampleRecords.Epoch.AddSeconds(f.Random.Int(0, Fixture.Count)) : null,
            CorrelationId = f.Random.Bool(0.15f) ? "corr-" + f.Random.Int(0, Fixture.Correlations - 1) : null,
            Limit = f.Random.Bool(0.7f) ? 500 : f.Random.Int(-2, 30),
        };
    }

    private static List<string> Oracle(IEnumerable<DecisionRecord> records, DecisionQuery query) => records
        .Where(r => query.SessionId is null || r.SessionId == query.SessionId)
        .Where(r => query.Operation is null || r.Operation == query.Operation || r.Kind == query.Operation)
        .Where(r => query.Verdict is null || string.Equals(r.Verdict, query.Verdict, StringComparison.OrdinalIgnoreCase))
        .Where(r => query.Pattern is null
            || r.Subject.Contains(query.Pattern, StringComparison.OrdinalIgnoreCase)
            || r.Summary.Contains(query.Pattern, StringComparison.OrdinalIgnoreCase))
        .Where(r => query.Since is null || r.Timestamp >= query.Since)
        .Where(r => query.CorrelationId is null || r.CorrelationId == query.CorrelationId)
        .OrderByDescending(r => r.Timestamp)
        .Take(Math.Clamp(query.Limit, 1, DecisionQuery.MaxLimit))
        .Select(r => r.DecisionId)
        .ToList();

    /// <summary>400 seeded records with distinct timestamps, appended in shuffled order.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const int Count = 400;
        public const int Correlations = 60;
        public static readonly string[] Sessions = ["session-alpha", "session-beta", "session-gamma"];

        internal StoreHarness Harness { get; } = new(new LiteDbStoreOptions { BatchWindow = TimeSpan.FromMilliseconds(20) });
        internal List<DecisionRecord> Records { get; } = [];

        public async Task InitializeAsync()
        {
            var f = SampleRecords.Seeded(2026);
            for (var i = 0; i < Count; i++)
            {
                var random = SampleRecords.Random(f, f.PickRandom(Sessions), SampleRecords.Epoch.AddSeconds(i));
                Records.Add(new DecisionRecord
                {
                    DecisionId = random.DecisionId,
                    // Shared correlation ids, so that filter matches more than one record.
                    CorrelationId = "corr-" + f.Random.Int(0, Correlations - 1),
                    SessionId = random.SessionId,
                    Timestamp = random.Timestamp,
                    Operation = random.Operation,
                    Kind = random.Kind,
                    Verdict = random.Verdict,
                    Subject = random.Subject + (f.Random.Bool(0.05f) ? " a_b" : ""),
                    Summary = random.Summary,
                    Error = random.Error,
                    Cached = random.Cached,
                    ElapsedMs = random.ElapsedMs,
                });
            }
            foreach (var record in f.Random.Shuffle(Records))
            {
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
