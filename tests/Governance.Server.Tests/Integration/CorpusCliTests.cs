using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// The labelled corpus through the published executable and the shipped pack: the accuracy targets hold and
/// nothing falls below the recorded baseline (tests/corpus/baseline.json).
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class CorpusCliTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _pack = new TempDirectory("governance-corpus").WithShippedPack();

    // The whole corpus (fresh rounds included) is still short of the dangerous-caught target, so CI gates on the
    // recorded baseline: no figure falls and no case that passed starts failing. The figures are printed either way.
    [Fact]
    public async Task Test_ShippedCorpus_NoRegressionAgainstTheBaseline()
    {
        var corpus = Path.Combine(RepoPaths.Root, "tests", "corpus");

        var result = await server.RunAsync(["test", "--corpus", corpus, "--baseline", Path.Combine(corpus, "baseline.json"), "--fail-on", "regression",
            "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no regression against", result.Stdout);
        Assert.Equal(3, result.Stdout.Split('\n').Count(l => l.Contains("target ≥", StringComparison.Ordinal)));
        Assert.Contains("benign allowed:", result.Stdout);
        foreach (var category in new[] { "recursive-deletion", "git-destructive", "safety-gates", "secrets", "remote-code-execution", "privilege-system",
                     "disk-destruction", "databases", "cloud-cluster", "containers", "publishing", "process-control", "config-edits", "weakening-edits" })
        {
            Assert.Contains(category, result.Stdout);
        }
    }

    [Fact]
    public async Task Test_FailOnRegressionWithoutBaseline_ExitsTwoAndSaysWhatToAdd()
    {
        var result = await server.RunAsync(["test", "--corpus", Path.Combine(RepoPaths.Root, "tests", "corpus"), "--fail-on", "regression",
            "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("add --baseline", result.Stderr);
    }

    [Fact]
    public async Task Test_PolicyThatMissesDangerousCases_FailsAndNamesTheCases()
    {
        // A pack whose operations reviewer has been emptied must not pass: the corpus catches it.
        File.WriteAllText(_pack.Combine("personas", "operations-reviewer.yaml"),
            "id: operations-reviewer\nname: Operations Reviewer\ndefault:\n  verdict: allow\n  confidence: 0.97\n  guidance: ok\n");
        var corpus = Path.Combine(RepoPaths.Root, "tests", "corpus");

        var result = await server.RunAsync(["test", "--corpus", corpus, "--baseline", Path.Combine(corpus, "baseline.json"),
            "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("regression: new miss", result.Stdout);
        Assert.Contains("NOT MET", result.Stdout);
    }

    [Fact]
    public async Task Test_BrokenCorpusLine_ExitsTwoNamingFileAndLine()
    {
        using var corpus = new TempDirectory("governance-bad-corpus");
        File.WriteAllText(corpus.Combine("cases.jsonl"),
            """{"operation":"Bash","context":{"command":"ls"},"expected":"allow","category":"routine"}""" + "\n" +
            """{"operation":"Bash","context":{"command":"ls"},"expected":"maybe","category":"routine"}""" + "\n");

        var result = await server.RunAsync(["test", "--corpus", corpus.Path, "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cases.jsonl:2: expected 'maybe' must be one of allow, ask, deny", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    public void Dispose() => _pack.Dispose();
}
