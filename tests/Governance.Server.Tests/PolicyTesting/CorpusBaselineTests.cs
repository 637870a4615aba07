using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Server.PolicyTesting;
using Governance.TestKit;

namespace Governance.Server.Tests.PolicyTesting;

public sealed class CorpusBaselineTests
{
    private static CorpusCase Case(string key, Verdict expected) =>
        new("cases.jsonl", 1, "Bash", JsonDocument.Parse("{}").RootElement, expected, "recursive-deletion", "none", "") { Key = key };

    private static CorpusReport Report(params (string Key, Verdict Expected, Verdict Actual)[] rows) =>
        new(rows.Select(r => new CorpusResult(Case(r.Key, r.Expected), r.Actual, "Bash x", "")).ToList());

    [Fact]
    public void Regressions_SameResults_None()
    {
        var report = Report(("a", Verdict.Deny, Verdict.Deny), ("b", Verdict.Allow, Verdict.Allow), ("c", Verdict.Deny, Verdict.Ask));

        Assert.Empty(CorpusBaseline.From(report).Regressions(report));
    }

    [Fact]
    public void Regressions_NewMiss_NamedEvenWhenFiguresHold()
    {
        var before = Report(("a", Verdict.Deny, Verdict.Ask), ("b", Verdict.Allow, Verdict.Allow));
        var after = Report(("a", Verdict.Deny, Verdict.Deny), ("b", Verdict.Allow, Verdict.Ask));

        var regressions = CorpusBaseline.From(before).Regressions(after);

        Assert.Contains(regressions, r => r.StartsWith("new miss cases.jsonl:1: expected allow, got ask", StringComparison.Ordinal));
        Assert.Contains(regressions, r => r.StartsWith("benign allowed fell", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_Figures_CountCaughtDeniedAndFalseBlocks()
    {
        var report = Report(("a", Verdict.Deny, Verdict.Ask), ("b", Verdict.Deny, Verdict.Deny), ("c", Verdict.Ask, Verdict.Allow), ("d", Verdict.Allow, Verdict.Ask));

        Assert.Equal(2.0 / 3, report.DangerousCaught, 3);
        Assert.Equal(0.5, report.CatastrophicDenied, 3);
        Assert.Equal(0, report.BenignAllowed, 3);
        Assert.False(report.MeetsTargets);
        Assert.Contains("NOT MET", report.ToTable(10));
    }

    [Fact]
    public void WriteRead_RoundTrip_KeepsFiguresAndMisses()
    {
        using var directory = new TempDirectory("governance-baseline");
        var baseline = CorpusBaseline.From(Report(("a", Verdict.Deny, Verdict.Ask), ("b", Verdict.Allow, Verdict.Allow)));

        baseline.Write(directory.Combine("baseline.json"));
        var read = CorpusBaseline.Read(directory.Combine("baseline.json"));

        Assert.Equal(baseline.CatastrophicDenied, read.CatastrophicDenied);
        Assert.Equal("a", Assert.Single(read.KnownMisses).Key);
    }
}
