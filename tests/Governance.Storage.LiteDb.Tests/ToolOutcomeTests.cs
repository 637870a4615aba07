using Governance.Abstractions.Storage;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>PostToolUse outcomes: stored apart from decisions and joined to them by tool_use_id when history is read.</summary>
public sealed class ToolOutcomeTests
{
    private static DecisionRecord Decision(string id, string toolUseId, int second) => new()
    {
        DecisionId = id,
        CorrelationId = "corr-" + id,
        SessionId = "claude-1",
        Timestamp = SampleRecords.Epoch.AddSeconds(second),
        Operation = "Bash",
        Kind = "command_execution",
        Verdict = "allow",
        ToolUseId = toolUseId,
    };

    private static ToolOutcomeRecord Outcome(string toolUseId, string status, int second, string detail = "") => new()
    {
        ToolUseId = toolUseId,
        SessionId = "claude-1",
        Timestamp = SampleRecords.Epoch.AddSeconds(second),
        ToolName = "Bash",
        Status = status,
        Detail = detail,
    };

    [Fact]
    public async Task QueryAsync_DecisionWithRecordedOutcome_CarriesIt()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        await harness.Store.AppendAsync(Decision("d1", "toolu_1", 1), CancellationToken.None).Within();
        await harness.Store.AppendAsync(Decision("d2", "toolu_2", 2), CancellationToken.None).Within();
        await harness.Store.AppendAsync(Decision("d3", "", 3), CancellationToken.None).Within();
        await harness.Store.AppendOutcomeAsync(Outcome("toolu_1", "failed", 4, "exit 1"), CancellationToken.None).Within();

        var found = (await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).ToDictionary(r => r.DecisionId);

        Assert.Equal("failed", found["d1"].Outcome?.Status);
        Assert.Equal("exit 1", found["d1"].Outcome?.Detail);
        Assert.Null(found["d2"].Outcome);
        Assert.Null(found["d3"].Outcome);
    }

    [Fact]
    public async Task QueryAsync_SeveralOutcomesForOneCall_TakesTheLatest()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "batched" });
        await harness.Store.AppendAsync(Decision("d1", "toolu_1", 1), CancellationToken.None).Within();
        await harness.Store.AppendOutcomeAsync(Outcome("toolu_1", "ran", 9), CancellationToken.None).Within();
        await harness.Store.AppendOutcomeAsync(Outcome("toolu_1", "interrupted", 5), CancellationToken.None).Within();
        await harness.Store.FlushAsync(CancellationToken.None).Within();

        var found = await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within();

        Assert.Equal("ran", Assert.Single(found).Outcome?.Status);
    }

    [Fact]
    public async Task QueryAsync_OutcomeRecordedBeforeItsDecisionLands_IsJoinedOnceTheDecisionIsThere()
    {
        // The PostToolUse hook of a fast command can reach the file before the server's batched writer commits the
        // PreToolUse decision: the join happens when history is read, so order does not matter.
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        await harness.Store.AppendOutcomeAsync(Outcome("toolu_1", "ran", 2), CancellationToken.None).Within();
        await harness.Store.AppendAsync(Decision("d1", "toolu_1", 1), CancellationToken.None).Within();

        var found = await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within();

        Assert.Equal("ran", Assert.Single(found).Outcome?.Status);
        await Bounded.Run(() => harness.Reopen());
        Assert.Equal("ran", Assert.Single(await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within()).Outcome?.Status);
    }

    [Fact]
    public async Task QueryAsync_SameToolUseIdInAnotherSession_IsNotJoined()
    {
        using var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" });
        await harness.Store.AppendAsync(Decision("d1", "toolu_1", 1), CancellationToken.None).Within();
        var elsewhere = Outcome("toolu_1", "ran", 2);
        await harness.Store.AppendOutcomeAsync(new ToolOutcomeRecord
        {
            ToolUseId = elsewhere.ToolUseId,
            SessionId = "claude-2",
            Timestamp = elsewhere.Timestamp,
            Status = elsewhere.Status,
        }, CancellationToken.None).Within();

        var found = await harness.Store.QueryAsync(new DecisionQuery(), CancellationToken.None).Within();

        Assert.Null(Assert.Single(found).Outcome);
    }
}
