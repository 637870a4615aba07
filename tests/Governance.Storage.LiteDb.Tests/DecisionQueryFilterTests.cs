using Governance.Abstractions.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>Each history filter on its own: what it matches, and what it must not.</summary>
public sealed class DecisionQueryFilterTests
{
    private static async Task<StoreHarness> StoreWith(params DecisionRecord[] records)
    {
        var harness = new StoreHarness(new LiteDbStoreOptions { Durability = "sync" }, new FakeTimeProvider(SampleRecords.Epoch));
        foreach (var record in records)
        {
            await harness.Store.AppendAsync(record, CancellationToken.None).Within();
        }
        return harness;
    }

    private static async Task<string[]> Ids(StoreHarness harness, DecisionQuery query) =>
        (await harness.Store.QueryAsync(query, CancellationToken.None).Within()).Select(r => r.DecisionId).ToArray();

    private static DateTimeOffset At(int seconds) => SampleRecords.Epoch.AddSeconds(seconds);

    [Fact]
    public async Task QueryAsync_SessionId_ReturnsOnlyThatSession()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("a1", sessionId: "alpha", timestamp: At(1)),
            SampleRecords.Make("b1", sessionId: "beta", timestamp: At(2)),
            SampleRecords.Make("a2", sessionId: "alpha", timestamp: At(3)),
            SampleRecords.Make("ab", sessionId: "alphabet", timestamp: At(4)));

        Assert.Equal(["a2", "a1"], await Ids(harness, new DecisionQuery { SessionId = "alpha" }));
        Assert.Equal(["b1"], await Ids(harness, new DecisionQuery { SessionId = "beta" }));
        Assert.Empty(await Ids(harness, new DecisionQuery { SessionId = "gamma" }));
    }

    [Fact]
    public async Task QueryAsync_SessionIdDiffersOnlyInCase_ReturnsNothing()
    {
        using var harness = await StoreWith(SampleRecords.Make("a1", sessionId: "alpha", timestamp: At(1)));

        Assert.Empty(await Ids(harness, new DecisionQuery { SessionId = "Alpha" }));
    }

    [Fact]
    public async Task QueryAsync_Operation_MatchesOperationNameOrKind()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("bash", operation: "Bash", kind: "command_execution", timestamp: At(1)),
            SampleRecords.Make("write", operation: "Write", kind: "file_write", timestamp: At(2)),
            SampleRecords.Make("generic", operation: "command_execution", kind: "command_execution", timestamp: At(3)),
            SampleRecords.Make("mcp", operation: "mcp__github__create_pr", kind: "tool_call", timestamp: At(4)));

        Assert.Equal(["generic", "bash"], await Ids(harness, new DecisionQuery { Operation = "command_execution" }));
        Assert.Equal(["bash"], await Ids(harness, new DecisionQuery { Operation = "Bash" }));
        Assert.Equal(["write"], await Ids(harness, new DecisionQuery { Operation = "file_write" }));
        Assert.Equal(["mcp"], await Ids(harness, new DecisionQuery { Operation = "tool_call" }));
        Assert.Empty(await Ids(harness, new DecisionQuery { Operation = "file" }));
    }

    [Theory]
    [InlineData("deny")]
    [InlineData("DENY")]
    [InlineData("Deny")]
    public async Task QueryAsync_VerdictInAnyCase_MatchesStoredVerdict(string verdict)
    {
        using var harness = await StoreWith(
            SampleRecords.Make("allowed", verdict: "allow", timestamp: At(1)),
            SampleRecords.Make("denied", verdict: "deny", timestamp: At(2)),
            SampleRecords.Make("asked", verdict: "ask", timestamp: At(3)));

        Assert.Equal(["denied"], await Ids(harness, new DecisionQuery { Verdict = verdict }));
    }

    [Theory]
    [InlineData("RM -RF", new[] { "home" })]
    [InlineData("rm -rf", new[] { "home" })]
    [InlineData("etc/hosts", new[] { "hosts" })]
    [InlineData("HOME FOLDER", new[] { "home" })]
    [InlineData("reads", new[] { "hosts" })]
    [InlineData("o", new[] { "hosts", "home" })]
    [InlineData("nowhere", new string[0])]
    public async Task QueryAsync_Pattern_MatchesSubjectOrSummaryIgnoringCase(string pattern, string[] expected)
    {
        using var harness = await StoreWith(
            SampleRecords.Make("home", subject: "rm -rf ~", summary: "Deletes the Home folder", timestamp: At(1)),
            SampleRecords.Make("hosts", subject: "/ETC/HOSTS", summary: "Reads a system file", timestamp: At(2)));

        Assert.Equal(expected, await Ids(harness, new DecisionQuery { Pattern = pattern }));
    }

    [Theory]
    [InlineData("100%", new[] { "percent" })]
    [InlineData("%", new[] { "percent" })]
    [InlineData("a_b", new[] { "underscore" })]
    [InlineData("_", new[] { "underscore" })]
    [InlineData("[a]", new[] { "brackets" })]
    [InlineData(".*", new string[0])]
    public async Task QueryAsync_PatternWithWildcardCharacters_MatchesThemLiterally(string pattern, string[] expected)
    {
        using var harness = await StoreWith(
            SampleRecords.Make("percent", subject: "echo 100% done", timestamp: At(1)),
            SampleRecords.Make("plain", subject: "echo 1000 done axb", timestamp: At(2)),
            SampleRecords.Make("underscore", subject: "cat a_b.txt", timestamp: At(3)),
            SampleRecords.Make("brackets", subject: "ls [a]", timestamp: At(4)));

        Assert.Equal(expected, await Ids(harness, new DecisionQuery { Pattern = pattern }));
    }

    [Fact]
    public async Task QueryAsync_PatternOfIgnorableCharacter_MatchesOnlyRecordsContainingIt()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("plain", subject: "rm -rf ~", timestamp: At(1)),
            SampleRecords.Make("hidden", subject: "rm -r\u200Bf ~", timestamp: At(2)));

        Assert.Equal(["hidden"], await Ids(harness, new DecisionQuery { Pattern = "\u200B" }));
        Assert.Equal(["plain"], await Ids(harness, new DecisionQuery { Pattern = "rm -rf" }));
    }

    [Fact]
    public async Task QueryAsync_Since_IncludesTheBoundaryAndLater()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("before", timestamp: At(0)),
            SampleRecords.Make("boundary", timestamp: At(60)),
            SampleRecords.Make("after", timestamp: At(120)));

        Assert.Equal(["after", "boundary"], await Ids(harness, new DecisionQuery { Since = At(60) }));
        Assert.Equal(["after"], await Ids(harness, new DecisionQuery { Since = At(60).AddMilliseconds(1) }));
        Assert.Empty(await Ids(harness, new DecisionQuery { Since = At(121) }));
    }

    [Fact]
    public async Task QueryAsync_SinceWithOffset_ComparesInstantsNotWallClock()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("before", timestamp: At(0)),
            SampleRecords.Make("after", timestamp: At(3600)));

        // 14:30 at +02:00 is 12:30 UTC: between the two records.
        var since = new DateTimeOffset(2026, 3, 1, 14, 30, 0, TimeSpan.FromHours(2));

        Assert.Equal(["after"], await Ids(harness, new DecisionQuery { Since = since }));
    }

    [Fact]
    public async Task QueryAsync_CorrelationId_ReturnsOnlyThatRequest()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("one", correlationId: "corr-a", timestamp: At(1)),
            SampleRecords.Make("two", correlationId: "corr-b", timestamp: At(2)),
            SampleRecords.Make("three", correlationId: "corr-ab", timestamp: At(3)));

        Assert.Equal(["two"], await Ids(harness, new DecisionQuery { CorrelationId = "corr-b" }));
        Assert.Empty(await Ids(harness, new DecisionQuery { CorrelationId = "corr" }));
    }

    [Fact]
    public async Task QueryAsync_RecordsAppendedOutOfOrder_ReturnsNewestFirst()
    {
        var faker = SampleRecords.Seeded(11);
        var records = Enumerable.Range(0, 40)
            .Select(i => SampleRecords.Make("d" + i, timestamp: SampleRecords.Epoch.AddMilliseconds(i * 250)))
            .ToArray();
        using var harness = await StoreWith(faker.Random.Shuffle(records).ToArray());

        var found = await Ids(harness, new DecisionQuery { Limit = 100 });

        Assert.Equal(records.OrderByDescending(r => r.Timestamp).Select(r => r.DecisionId), found);
    }

    [Fact]
    public async Task QueryAsync_NoLimitGiven_ReturnsNewestTwenty()
    {
        var records = Enumerable.Range(0, 25).Select(i => SampleRecords.Make("d" + i, timestamp: At(i))).ToArray();
        using var harness = await StoreWith(records);

        var found = await Ids(harness, new DecisionQuery());

        Assert.Equal(Enumerable.Range(5, 20).Reverse().Select(i => "d" + i), found);
    }

    [Fact]
    public async Task QueryAsync_FiltersTogether_ReturnOnlyRecordsMatchingAll()
    {
        using var harness = await StoreWith(
            SampleRecords.Make("match", sessionId: "s1", operation: "Bash", verdict: "deny", subject: "rm -rf ~", correlationId: "c1", timestamp: At(10)),
            SampleRecords.Make("other-session", sessionId: "s2", operation: "Bash", verdict: "deny", subject: "rm -rf ~", correlationId: "c1", timestamp: At(11)),
            SampleRecords.Make("other-operation", sessionId: "s1", operation: "Write", kind: "file_write", verdict: "deny", subject: "rm -rf ~", correlationId: "c1", timestamp: At(12)),
            SampleRecords.Make("other-verdict", sessionId: "s1", operation: "Bash", verdict: "allow", subject: "rm -rf ~", correlationId: "c1", timestamp: At(13)),
            SampleRecords.Make("other-subject", sessionId: "s1", operation: "Bash", verdict: "deny", subject: "ls", correlationId: "c1", timestamp: At(14)),
            SampleRecords.Make("other-correlation", sessionId: "s1", operation: "Bash", verdict: "deny", subject: "rm -rf ~", correlationId: "c2", timestamp: At(15)),
            SampleRecords.Make("too-old", sessionId: "s1", operation: "Bash", verdict: "deny", subject: "rm -rf ~", correlationId: "c1", timestamp: At(1)));

        var query = new DecisionQuery
        {
            SessionId = "s1",
            Operation = "command_execution",
            Verdict = "DENY",
            Pattern = "RM -RF",
            CorrelationId = "c1",
            Since = At(5),
        };

        Assert.Equal(["match"], await Ids(harness, query));
    }
}
