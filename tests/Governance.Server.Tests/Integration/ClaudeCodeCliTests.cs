using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// The real Claude Code CLI (tests/e2e pins @anthropic-ai/claude-code) against a project wired by governance init.
/// No network and no model: only what the CLI does locally. The scripted-model session is issue 6.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class ClaudeCodeCliTests(PublishedServer server) : IDisposable
{
    private readonly TempDirectory _project = new("governance-claude-project");
    private readonly TempDirectory _home = new("governance-claude-home");

    private Task<ProcessRunner.Result> Claude(params string[] arguments) =>
        ProcessRunner.RunAsync(server.ClaudeExecutable, arguments, workingDirectory: _project.Path,
            // A throwaway HOME keeps the developer's own Claude Code configuration out of the test and untouched.
            environment: new Dictionary<string, string> { ["HOME"] = _home.Path, ["DISABLE_AUTOUPDATER"] = "1", ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1" },
            timeout: TimeSpan.FromMinutes(2));

    // Claude Code reads a project's local settings (where init records the approval) for a git repository.
    private async Task GitInit()
    {
        var git = await ProcessRunner.RunAsync("git", ["init", "-q", _project.Path]);
        Assert.True(git.ExitCode == 0, git.ToString());
    }

    [Fact]
    public async Task McpList_AfterInit_GovernanceConnected()
    {
        await GitInit();
        var init = await server.RunAsync(["init", "--project", _project.Path]);
        Assert.True(init.ExitCode == 0, init.ToString());

        var list = await Claude("mcp", "list");

        Assert.True(list.ExitCode == 0, list.ToString());
        var line = Assert.Single(list.Stdout.Split('\n'), l => l.StartsWith("governance:", StringComparison.Ordinal));
        Assert.Contains(server.Executable + " serve", line);
        Assert.True(line.Contains("Connected", StringComparison.Ordinal), list.ToString());
    }

    [Fact]
    public async Task McpList_AfterInitRemove_GovernanceGone()
    {
        await GitInit();
        await server.RunAsync(["init", "--project", _project.Path]);
        await server.RunAsync(["init", "--project", _project.Path, "--remove"]);

        var list = await Claude("mcp", "list");

        Assert.DoesNotContain("governance:", list.Stdout);
    }

    public void Dispose()
    {
        _project.Dispose();
        _home.Dispose();
    }
}
