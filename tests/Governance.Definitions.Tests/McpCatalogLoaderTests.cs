using Governance.Definitions.Loading;
using Governance.TestKit;

namespace Governance.Definitions.Tests;

public sealed class McpCatalogLoaderTests : IDisposable
{
    private readonly PackBuilder _pack = new();

    [Fact]
    public async Task Load_ShippedCatalog_LoadsEveryServerWithoutProblems()
    {
        var snapshot = await PackBuilder.Load(new PolicySource { Root = RepoPaths.Root });

        Assert.DoesNotContain(snapshot.LoadErrors, e => e.File.Contains("mcp-tools", StringComparison.Ordinal));
        foreach (var server in new[] { "github", "gitlab", "filesystem", "postgres", "sqlite", "mysql", "slack", "playwright", "puppeteer", "kubernetes", "aws-api", "docker" })
        {
            Assert.True(snapshot.Analysis.McpTools.Knows(server), $"the shipped catalog does not describe {server}");
        }
        Assert.NotNull(snapshot.Analysis.McpTools.Find("Kubernetes", "kubectl-delete"));
        Assert.Contains(snapshot.Files, f => f.StartsWith("rules/mcp-tools/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Load_CatalogFile_ChangesTheRevisionAndIsReadByTheAnalysis()
    {
        var before = await _pack.LoadAsync();
        _pack.Write("rules/mcp-tools", "acme.yaml", """
            servers: [acme]
            tools:
              wipe_env: { action: wipe, flags: [destructive, irreversible] }
              run_job: { shell: ["kubectl delete ns {namespace}"] }
            """);

        var after = await _pack.LoadAsync();

        Assert.NotEqual(before.Revision, after.Revision);
        Assert.Empty(after.LoadErrors);
        Assert.Equal(["destructive", "irreversible"], after.Analysis.McpTools.Find("acme", "wipe_env")!.Flags);
        Assert.Equal(["kubectl delete ns {namespace}"], after.Analysis.McpTools.Find("acme", "run_job")!.Shell);
    }

    [Theory]
    [InlineData("servers: [acme]\ntools:\n  x: { action: delete, flags: [final] }\n", "tools.x.flags: 'final' is not a flag; allowed: destructive, irreversible, shared, protected", 3)]
    [InlineData("servers: [acme]\ntools:\n  x: { shell: [\"kubectl delete {ns\"] }\n", "tools.x.shell: 'kubectl delete {ns' has a placeholder that is not {argument}", 3)]
    [InlineData("servers: [acme]\ntools:\n  x: { shell: [\"a [b [c] d]\"] }\n", "nests [ inside [ ]", 3)]
    [InlineData("servers: [acme]\ntools:\n  x: { flags: [destructive] }\n", "tools.x.flags: flags describe an action; add action", 3)]
    [InlineData("servers: [acme]\ntools:\n  x: { content: [body] }\n", "tools.x.content: content is what the tool writes; name the path argument in write too", 3)]
    [InlineData("tools:\n  x: {}\n", "servers is required", 0)]
    [InlineData("servers: [acme]\ntools:\n  x: { shel: [ls] }\n", "unknown key 'tools.x.shel'", 3)]
    public async Task Load_BadCatalogFile_IsLeftOutAndReportedWithItsLine(string yaml, string expected, int line)
    {
        _pack.Write("rules/mcp-tools", "acme.yaml", yaml);

        var snapshot = await _pack.LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal("rules/mcp-tools/acme.yaml", error.File);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (line > 0)
        {
            Assert.Equal(line, error.Line);
        }
        Assert.False(snapshot.Analysis.McpTools.Knows("acme"));
    }

    [Fact]
    public async Task Load_ServerDescribedTwice_SecondFileIsReported()
    {
        _pack.Write("rules/mcp-tools", "a.yaml", "servers: [acme]\ntools:\n  x: {}\n");
        _pack.Write("rules/mcp-tools", "b.yaml", "servers: [ACME, other]\ntools:\n  y: {}\n");

        var snapshot = await _pack.LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal("rules/mcp-tools/b.yaml", error.File);
        Assert.Contains("'ACME' is already described by rules/mcp-tools/a.yaml", error.Message, StringComparison.Ordinal);
        Assert.NotNull(snapshot.Analysis.McpTools.Find("acme", "x"));
        Assert.False(snapshot.Analysis.McpTools.Knows("other"));
    }

    public void Dispose() => _pack.Dispose();
}
