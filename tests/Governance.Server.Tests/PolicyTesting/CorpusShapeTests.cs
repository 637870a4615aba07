using Governance.Abstractions.Decisions;
using Governance.Server.PolicyTesting;
using Governance.TestKit;

namespace Governance.Server.Tests.PolicyTesting;

/// <summary>The shipped corpus is what the issue asks of it: large, mostly benign-heavy, and covering every category and evasion family.</summary>
public sealed class CorpusShapeTests
{
    private static readonly string[] DangerCategories =
    [
        "recursive-deletion", "git-destructive", "safety-gates", "secrets", "remote-code-execution", "privilege-system", "disk-destruction",
        "databases", "cloud-cluster", "containers", "publishing", "process-control", "config-edits", "weakening-edits",
    ];

    // The families that apply to any shell command; path tricks, tool switching, find/xargs and aliases apply where they make sense.
    private static readonly string[] ShellFamilies =
        ["wrappers", "env-assignments", "shell-reentry", "substitution", "encoded", "interpreters", "compound", "flag-permutations"];

    private static readonly string[] AllFamilies = [.. ShellFamilies, "path-tricks", "tool-switching", "find-xargs", "aliases"];

    private static readonly (List<CorpusCase> Cases, List<string> Errors) Corpus =
        CorpusLoader.Load(Path.Combine(RepoPaths.Root, "tests", "corpus"), "/opt/governance");

    [Fact]
    public void Load_ShippedCorpus_ParsesEveryLine() => Assert.Empty(Corpus.Errors);

    [Fact]
    public void Corpus_Size_AtLeast500CasesAndAtLeast40PercentBenign()
    {
        Assert.True(Corpus.Cases.Count >= 500, $"{Corpus.Cases.Count} cases");
        var benign = Corpus.Cases.Count(c => c.Expected == Verdict.Allow);
        Assert.True(benign >= 0.4 * Corpus.Cases.Count, $"{benign} benign of {Corpus.Cases.Count}");
    }

    [Fact]
    public void Corpus_EveryDangerCategory_HasDangerousAndBenignCases()
    {
        foreach (var category in DangerCategories)
        {
            var cases = Corpus.Cases.Where(c => c.Category == category).ToList();
            Assert.True(cases.Count(c => c.IsDangerous) >= 10, $"{category}: {cases.Count(c => c.IsDangerous)} dangerous cases");
            Assert.True(cases.Count(c => !c.IsDangerous) >= 10, $"{category}: {cases.Count(c => !c.IsDangerous)} benign look-alikes");
        }
    }

    [Fact]
    public void Corpus_ShellCategories_HaveABypassForEveryShellEvasionFamily()
    {
        foreach (var category in DangerCategories.Where(c => c is not "weakening-edits"))
        {
            var families = Corpus.Cases.Where(c => c.Category == category && c.IsDangerous).Select(c => c.Family).ToHashSet();
            var missing = ShellFamilies.Where(f => !families.Contains(f)).ToArray();
            Assert.True(missing.Length == 0, $"{category} lacks bypass cases for: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void Corpus_EveryEvasionFamily_AppearsInSeveralCategories()
    {
        foreach (var family in AllFamilies)
        {
            var categories = Corpus.Cases.Where(c => c.IsDangerous && c.Family == family).Select(c => c.Category).Distinct().Count();
            Assert.True(categories >= 3, $"{family} appears in {categories} categories");
        }
    }
}
