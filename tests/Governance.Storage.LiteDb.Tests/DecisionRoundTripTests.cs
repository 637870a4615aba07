using Governance.Abstractions.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>What goes in comes back out: every field of a decision record, through a real LiteDB file.</summary>
public sealed class DecisionRoundTripTests
{
    private static StoreHarness SyncStore() =>
        // Sync commits each group at once, so the writer never waits on the clock: fake time is safe here.
        new(new LiteDbStoreOptions { Durability = "sync" }, new FakeTimeProvider(SampleRecords.Epoch));

    [Fact]
    public async Task QueryAsync_AfterSyncAppend_ReturnsEveryField()
    {
        using var harness = SyncStore();
        var record = new DecisionRecord
        {
            DecisionId = "d-1",
            CorrelationId = "c-1",
            SessionId = "session-1",
            Timestamp = SampleRecords.Epoch.AddMilliseconds(123),
            Operation = "Bash",
            Kind = "command_execution",
            Verdict = "deny",
            Confidence = 0.8125,
            Cached = true,
            ElapsedMs = 12.375,
            PolicyRevision = "rev-42",
            Subject = "rm -rf ~",
            Summary = "Deletes the home folder",
            Error = null,
            ToolUseId = "toolu_01ABC",
            ResponseJson = """{"verdict":"deny","confidence":0.8125}""",
            ContextJson = """{"command":"rm -rf ~","cwd":"/home/user"}""",
        };

        await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        var found = await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within();

        SampleRecords.AssertSame(record, Assert.Single(found));
    }

    [Fact]
    public async Task QueryAsync_ErrorNullAndErrorSet_KeepsTheDifference()
    {
        using var harness = SyncStore();
        var withoutError = SampleRecords.Make("ok", timestamp: SampleRecords.Epoch, error: null);
        var withError = SampleRecords.Make("failed", timestamp: SampleRecords.Epoch.AddSeconds(1), verdict: "error", error: "context must be a JSON object");
        var withEmptyError = SampleRecords.Make("empty", timestamp: SampleRecords.Epoch.AddSeconds(2), verdict: "error", error: "");

        foreach (var record in new[] { withoutError, withError, withEmptyError })
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        var found = (await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).ToDictionary(r => r.DecisionId);

        Assert.Null(found["ok"].Error);
        Assert.Equal("context must be a JSON object", found["failed"].Error);
        Assert.Equal("", found["empty"].Error);
    }

    [Fact]
    public async Task QueryAsync_TimestampWithTicksAndOffset_ReturnsSameInstantInUtcAtMillisecondPrecision()
    {
        using var harness = SyncStore();
        var local = new DateTimeOffset(2026, 3, 1, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        await harness.Store.AppendAsync(SampleRecords.Make("d", timestamp: local), CancellationToken.None).Within();

        var stored = Assert.Single(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Timestamp;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero), stored);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
    }

    [Theory]
    [InlineData("unicode", "rm -rf ~/データ && echo 'héllo wörld' → ✓ 🚀 עברית \u200d")]
    [InlineData("control", "line1\nline2\ttab\r\u0001\u001f\\\"quoted\" $(whoami) `id`")]
    [InlineData("nul", "before\0after")]
    public async Task QueryAsync_UnusualSubject_ReturnsItUnchanged(string id, string subject)
    {
        using var harness = SyncStore();
        var record = SampleRecords.Make(id, subject: subject, summary: subject);

        await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        var found = Assert.Single(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());

        Assert.Equal(subject, found.Subject);
        Assert.Equal(subject, found.Summary);
    }

    [Fact]
    public async Task QueryAsync_LongSubjectAndContext_ReturnsThemWhole()
    {
        using var harness = SyncStore();
        var subject = string.Concat(Enumerable.Repeat("cat /very/long/path/ファイル.txt; ", 20_000));
        var context = "{\"content\":\"" + new string('x', 1_000_000) + "\"}";
        var record = new DecisionRecord
        {
            DecisionId = "long",
            CorrelationId = "c",
            SessionId = "s",
            Timestamp = SampleRecords.Epoch,
            Subject = subject,
            ContextJson = context,
        };

        await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        var found = Assert.Single(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());

        Assert.Equal(subject.Length, found.Subject.Length);
        Assert.Equal(subject, found.Subject);
        Assert.Equal(context, found.ContextJson);
    }

    [Fact]
    public async Task QueryAsync_SeededRandomRecords_ReturnsEachRecordFieldForField()
    {
        using var harness = SyncStore();
        var faker = SampleRecords.Seeded();
        var records = Enumerable.Range(0, 60)
            .Select(i => SampleRecords.Random(faker, "session-" + (i % 3), SampleRecords.Epoch.AddMilliseconds(i * 1_001)))
            .ToList();

        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        var found = (await harness.Store.QueryAsync(new DecisionQuery { Limit = 100 }, CancellationToken.None).Within())
            .ToDictionary(r => r.DecisionId);

        Assert.Equal(records.Count, found.Count);
        Assert.Contains(records, r => r.Error is null);
        Assert.Contains(records, r => r.Error is not null);
        foreach (var record in records)
        {
            SampleRecords.AssertSame(record, found[record.DecisionId]);
        }
    }

    [Fact]
    public async Task QueryAsync_AfterReopen_ReturnsEveryField()
    {
        using var harness = SyncStore();
        var faker = SampleRecords.Seeded(7);
        var record = SampleRecords.Random(faker, "session-1", SampleRecords.Epoch.AddMilliseconds(5));
        await harness.Store.AppendAsync(record, CancellationToken.None).Within();

        var reopened = harness.Reopen();
        var found = Assert.Single(await reopened.QueryAsync(new DecisionQuery(), CancellationToken.None).Within());

        SampleRecords.AssertSame(record, found);
    }

    [Fact]
    public async Task AppendAsync_DecisionIdsDifferingOnlyInCase_KeepsBoth()
    {
        using var harness = SyncStore();
        await harness.Store.AppendAsync(SampleRecords.Make("D-1", timestamp: SampleRecords.Epoch), CancellationToken.None).Within();
        await harness.Store.AppendAsync(SampleRecords.Make("d-1", timestamp: SampleRecords.Epoch.AddSeconds(1)), CancellationToken.None).Within();

        var found = await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within();

        Assert.Equal(["d-1", "D-1"], found.Select(r => r.DecisionId));
    }
}
