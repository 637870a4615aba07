using Governance.Storage.LiteDb.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>One retention pass: what it deletes (by age, by count), what goes with the decisions, and that it logs it.</summary>
public sealed class RetentionSweepTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task RunOnce_MaxCount_KeepsOnlyTheNewest()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 4 });
        for (var i = 0; i < 10; i++)
        {
            await harness.AppendAsync($"d{i}", TimeSpan.FromMinutes(10 - i)); // d9 is the newest
        }

        var report = await harness.RunOnceAsync();

        Assert.True(report.Ran);
        Assert.Equal((0L, 6L), (report.DecisionsByAge, report.DecisionsByCount));
        Assert.Equal(["d6", "d7", "d8", "d9"], await harness.IdsAsync());
    }

    [Fact]
    public async Task RunOnce_MaxAge_DeletesOnlyThoseOlder()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxAge = TimeSpan.FromDays(30) });
        await harness.AppendAsync("ancient", 400 * Day);
        await harness.AppendAsync("just-over", 30 * Day + TimeSpan.FromSeconds(1));
        await harness.AppendAsync("just-under", 30 * Day - TimeSpan.FromSeconds(1));
        await harness.AppendAsync("today", TimeSpan.FromHours(1));

        var report = await harness.RunOnceAsync();

        Assert.Equal((2L, 0L), (report.DecisionsByAge, report.DecisionsByCount));
        Assert.Equal(["just-under", "today"], await harness.IdsAsync());
    }

    [Fact]
    public async Task RunOnce_BothLimits_EachDecisionCountedOnce()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxAge = 10 * Day, MaxCount = 3 });
        for (var i = 0; i < 8; i++)
        {
            await harness.AppendAsync($"d{i}", (20 - i) * Day); // d0..d7: 20 to 13 days old, all over max_age
        }
        for (var i = 0; i < 5; i++)
        {
            await harness.AppendAsync($"n{i}", (5 - i) * Day); // n0..n4: recent; only the newest 3 may stay
        }

        var report = await harness.RunOnceAsync();

        Assert.Equal(10, report.Decisions);
        Assert.Equal(8, report.DecisionsByAge);
        Assert.Equal(["n2", "n3", "n4"], await harness.IdsAsync());
    }

    [Fact]
    public async Task RunOnce_MoreThanOneChunk_DeletesAll()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 10 });
        var total = (2 * LiteDbRetentionService.ChunkSize) + 37;
        // Concurrently, so the sync writer commits them in groups rather than one by one.
        await Task.WhenAll(Enumerable.Range(0, total).Select(i => harness.AppendAsync($"d{i:0000}", TimeSpan.FromSeconds(total - i))));

        var report = await harness.RunOnceAsync();

        Assert.Equal(total - 10, report.DecisionsByCount);
        Assert.Equal(Enumerable.Range(total - 10, 10).Select(i => $"d{i:0000}"), await harness.IdsAsync());
    }

    [Fact]
    public async Task RunOnce_SessionLeftEmpty_IsDeleted_OtherSessionLosesOnlyTheDeletedIds()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxAge = 7 * Day });
        await harness.AppendAsync("old-a1", 9 * Day, sessionId: "a");
        await harness.AppendAsync("old-a2", 8 * Day, sessionId: "a");
        await harness.AppendAsync("old-b", 8 * Day, sessionId: "b");
        await harness.AppendAsync("new-b", 1 * Day, sessionId: "b");

        var report = await harness.RunOnceAsync();

        Assert.Equal((1L, 1L), (report.SessionsDeleted, report.SessionsUpdated));
        Assert.Null(await harness.Store.Store.GetSessionAsync("a", CancellationToken.None).Within());
        var b = await harness.Store.Store.GetSessionAsync("b", CancellationToken.None).Within();
        Assert.NotNull(b);
        Assert.Equal(["new-b"], b.DecisionIds);
        Assert.Equal(["corr-new-b"], b.CorrelationIds);
        Assert.Equal(2, b.Metrics.TotalRequests); // the counters are the session's history, not the records kept
    }

    [Fact]
    public async Task RunOnce_OutcomesOfDeletedDecisionsAndOrphans_Deleted_KeptDecisionsKeepTheirs()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 1 });
        await harness.AppendAsync("old", 3 * Day, toolUseId: "toolu_old");
        await harness.AppendAsync("kept", 1 * Day, toolUseId: "toolu_kept");
        await harness.AppendOutcomeAsync("toolu_old", TimeSpan.FromMinutes(1)); // newer than "kept": only the join removes it
        await harness.AppendOutcomeAsync("toolu_never_decided", 2 * Day); // older than every kept decision: an orphan
        await harness.AppendOutcomeAsync("toolu_kept", TimeSpan.FromHours(20));

        var report = await harness.RunOnceAsync();

        Assert.Equal(2, report.Outcomes);
        Assert.Equal(1, harness.OutcomeCount);
        var kept = Assert.Single(await harness.Store.Store.QueryAsync(new() { }, CancellationToken.None).Within());
        Assert.Equal("ran", kept.Outcome?.Status);
    }

    [Fact]
    public async Task RunOnce_SomethingRemoved_LogsTheCountsAndTheFile()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 1 });
        await harness.AppendAsync("a", 2 * Day);
        await harness.AppendAsync("b", 1 * Day);

        await harness.RunOnceAsync();

        var line = Assert.Single(harness.Logger.At(LogLevel.Information));
        Assert.Contains("Retention removed 1 decision(s)", line, StringComparison.Ordinal);
        Assert.Contains(harness.Store.FilePath, line, StringComparison.Ordinal);
        Assert.Contains("1 beyond max_count 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_AgainWithinTheInterval_DoesNotRunUntilItPasses()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 1, Interval = TimeSpan.FromHours(1) });
        await harness.AppendAsync("a", 2 * Day);
        Assert.True((await harness.RunOnceAsync()).Ran);
        await harness.AppendAsync("b", 1 * Day);
        await harness.AppendAsync("c", TimeSpan.FromMinutes(1));

        harness.Time.Advance(TimeSpan.FromMinutes(59));
        var early = await harness.RunOnceAsync();
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var due = await harness.RunOnceAsync();

        Assert.False(early.Ran);
        Assert.Equal(RetentionHarness.Now.AddHours(1), early.NextDue);
        Assert.True(due.Ran);
        Assert.Equal(["c"], await harness.IdsAsync());
    }

    [Fact]
    public async Task RunOnce_AnotherProcessOnTheFileRanIt_SkipsUntilItsNextDue()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 1, Interval = TimeSpan.FromHours(1) });
        await harness.AppendAsync("a", 2 * Day);
        await harness.AppendAsync("b", 1 * Day);
        await harness.RunOnceAsync();
        // A second store and service on the same file, as a command hook's process would open it.
        using var other = new LiteDbDecisionStore(harness.Store.Options, harness.Time, NullLogger<LiteDbDecisionStore>.Instance);
        using var otherService = new LiteDbRetentionService(other, harness.Store.Options, harness.Time, NullLogger<LiteDbRetentionService>.Instance);
        await harness.AppendAsync("c", TimeSpan.FromMinutes(1));
        harness.Time.Advance(TimeSpan.FromMinutes(10));

        var skipped = await otherService.RunOnceAsync(harness.Store.Options.Retention, CancellationToken.None).Within();

        Assert.False(skipped.Ran);
        Assert.Equal(RetentionHarness.Now.AddHours(1), skipped.NextDue);
        Assert.Equal(["b", "c"], await harness.IdsAsync());
    }
}
