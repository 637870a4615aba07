using Governance.Storage.LiteDb.Retention;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// The hosted job: once at start, then every interval on the injected clock. Advancing the fake clock runs it;
/// nothing sleeps (each pass is awaited through the service's report channel, with a bound).
/// </summary>
public sealed class RetentionServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    private static Task<RetentionReport> NextPassAsync(LiteDbRetentionService service) =>
        service.Passes.ReadAsync().AsTask().Within();

    [Fact]
    public async Task StartAsync_Configured_RunsOnceAtStart()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxAge = TimeSpan.FromDays(1), Interval = Interval });
        await harness.AppendAsync("old", TimeSpan.FromDays(2));
        await harness.AppendAsync("new", TimeSpan.FromHours(1));

        await harness.Service.StartAsync(CancellationToken.None);
        var first = await NextPassAsync(harness.Service);

        Assert.True(first.Ran);
        Assert.Equal(1, first.DecisionsByAge);
        Assert.Equal(["new"], await harness.IdsAsync());
        await harness.Service.StopAsync(CancellationToken.None).Within();
    }

    [Fact]
    public async Task ExecuteAsync_ClockAdvancedByTheInterval_RunsAgainAndDeletesWhatAgedMeanwhile()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxAge = TimeSpan.FromDays(1), Interval = Interval });
        await harness.Service.StartAsync(CancellationToken.None);
        Assert.True((await NextPassAsync(harness.Service)).Ran);
        await harness.AppendAsync("ages-out", TimeSpan.FromHours(20)); // 26 h old after the advance

        Assert.False(harness.Service.Passes.TryRead(out _), "no second pass before the clock moves");
        Assert.Equal(["ages-out"], await harness.IdsAsync());
        harness.Time.Advance(Interval);
        var second = await NextPassAsync(harness.Service);

        Assert.True(second.Ran);
        Assert.Equal(1, second.DecisionsByAge);
        Assert.Empty(await harness.IdsAsync());
        Assert.Equal(RetentionHarness.Now + Interval + Interval, second.NextDue);
        await harness.Service.StopAsync(CancellationToken.None).Within();
    }

    [Fact]
    public async Task ExecuteAsync_EveryInterval_OnePassEach()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 1, Interval = Interval });
        await harness.Service.StartAsync(CancellationToken.None);
        await NextPassAsync(harness.Service);

        for (var round = 1; round <= 3; round++)
        {
            await harness.AppendAsync($"r{round}-a", TimeSpan.FromMinutes(2));
            await harness.AppendAsync($"r{round}-b", TimeSpan.FromMinutes(1));
            harness.Time.Advance(Interval);
            var pass = await NextPassAsync(harness.Service);

            Assert.True(pass.Ran, $"round {round}");
            Assert.Equal([$"r{round}-b"], await harness.IdsAsync());
        }
        await harness.Service.StopAsync(CancellationToken.None).Within();
    }

    [Fact]
    public async Task ExecuteAsync_NoRetentionConfigured_EndsAtOnceAndDeletesNothing()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions());
        await harness.AppendAsync("old", TimeSpan.FromDays(4000));

        await harness.Service.StartAsync(CancellationToken.None);
        await harness.Service.ExecuteTask!.Within();

        Assert.Equal(["old"], await harness.IdsAsync());
    }

    [Fact]
    public async Task StopAsync_WhileWaitingForTheNextPass_EndsTheJob()
    {
        using var harness = new RetentionHarness(new LiteDbRetentionOptions { MaxCount = 5, Interval = Interval });
        await harness.Service.StartAsync(CancellationToken.None);
        await NextPassAsync(harness.Service);

        await harness.Service.StopAsync(CancellationToken.None).Within();

        Assert.True(harness.Service.ExecuteTask!.IsCompleted);
    }
}
