using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;
using Governance.Core.Personas;

namespace Governance.Core.Tests.Personas;

/// <summary>The guard's own paths as the analysis classes them, and the built-in safety net refusing changes to them.</summary>
public sealed class GuardPathTests
{
    private const string Pack = "/srv/governance";

    private sealed class Links(Dictionary<string, string> map) : IPathLinks
    {
        public string? RealPath(string absolutePath)
        {
            foreach (var (link, target) in map)
            {
                if (absolutePath == link || absolutePath.StartsWith(link + "/", StringComparison.Ordinal))
                {
                    return target + absolutePath[link.Length..];
                }
            }
            return null;
        }
    }

    private static AnalysisSettings Settings(IPathLinks? links = null) => new()
    {
        GuardPaths = [$"{Pack}/personas", $"{Pack}/rules", $"{Pack}/plugins", $"{Pack}/mcp_config.yaml", $"{Pack}/data"],
        Links = links,
    };

    private static PathTarget Resolve(string raw, string cwd = "/home/dev/project", IPathLinks? links = null) =>
        PathResolver.Resolve(raw, AnalysisScope.Create(cwd, "", Settings(links), Pack));

    [Theory]
    [InlineData("/srv/governance/rules/escalation.json")]
    [InlineData("/srv/governance/mcp_config.yaml")]
    [InlineData("/srv/governance/data/governance.db")]
    [InlineData("/srv/governance/personas")]
    [InlineData("/srv/governance/../governance/plugins/x.csx")]
    [InlineData("../../../srv/governance/rules/a.json")]
    public void Resolve_GuardFile_IsGovernancePolicy(string raw)
    {
        Assert.True(Resolve(raw).Is(PathClass.GovernancePolicy), raw);
    }

    [Theory]
    [InlineData("/srv")]
    [InlineData("/srv/")]
    public void Resolve_FolderHoldingTheGuard_ContainsGuard(string raw)
    {
        var target = Resolve(raw);
        Assert.True(target.Is(PathClass.ContainsGuard) && !target.Is(PathClass.GovernancePolicy), raw);
    }

    [Theory]
    [InlineData("mcp_config.yaml", true)]
    [InlineData("rules/new.json", true)]
    [InlineData("personas/x.csx", true)]
    [InlineData("data/governance.db", true)]
    [InlineData("src/app.py", false)]
    [InlineData("rules/README.md", false)]
    public void Resolve_RelativePathWithoutCwd_LaidOutLikeTheGuard_IsGovernancePolicy(string raw, bool guard)
    {
        Assert.Equal(guard, Resolve(raw, cwd: "").Is(PathClass.GovernancePolicy));
    }

    [Fact]
    public void Resolve_RelativeGuardNamesWithACwdElsewhere_AreNotTheGuard()
    {
        Assert.False(Resolve("rules/new.json").Is(PathClass.GovernancePolicy));
    }

    [Fact]
    public void Resolve_ThroughASymlink_JudgedByWhereItLeads()
    {
        var links = new Links(new() { ["/home/dev/project/policy"] = "/srv/governance/rules" });

        Assert.True(Resolve("policy/x.json", links: links).Is(PathClass.GovernancePolicy));
        Assert.False(Resolve("policy/x.json").Is(PathClass.GovernancePolicy));
    }

    [Theory]
    [InlineData("/home/dev/project/.mcp.json")]
    [InlineData("/home/dev/.claude.json")]
    [InlineData("/home/dev/.claude/settings.json")]
    [InlineData("/home/dev/project/.claude/settings.local.json")]
    public void Resolve_ClaudeCodeFilesHoldingTheGuard_AreGuardConfig(string raw)
    {
        Assert.True(Resolve(raw).Is(PathClass.GuardConfig), raw);
    }

    [Theory]
    [InlineData("rm -rf /srv/governance/rules", true)]
    [InlineData("mv /srv/governance/personas /tmp/p", true)]
    [InlineData("ln -s /srv/governance/rules ./r", true)]
    [InlineData("chmod 666 /srv/governance/mcp_config.yaml", true)]
    [InlineData("chmod -R 777 /srv", true)]
    [InlineData("rm -rf /srv/governance", true)]
    [InlineData("echo x >> /srv/governance/mcp_config.yaml", true)]
    [InlineData("cat /srv/governance/rules/escalation.json", false)]
    [InlineData("cp /srv/governance/rules/escalation.json ./backup.json", false)]
    [InlineData("chmod 755 /srv", false)]
    public async Task CoreSafety_ChangeToTheGuard_Denied(string command, bool denied)
    {
        var scope = AnalysisScope.Create("/home/dev/project", "", Settings(), Pack);
        var operation = new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };
        operation = operation with { Analysis = OperationAnalyzer.Analyze(operation, scope) };

        var verdict = await new CoreSafetyPersona().EvaluateAsync(operation, CancellationToken.None);

        Assert.Equal(denied, verdict.Verdict == Verdict.Deny);
        Assert.Equal(denied, verdict.MatchedChecks.Contains("guard-self-protection"));
    }

    [Fact]
    public async Task CoreSafety_McpFilesystemWriteIntoThePack_Denied()
    {
        var context = System.Text.Json.JsonDocument.Parse("""{"tool_name":"mcp__fs__write_file","tool_input":{"path":"/srv/governance/rules/x.json","content":"{}"}}""").RootElement;
        var operation = new Operation { Kind = OperationKinds.ToolCall, Name = "mcp__fs__write_file", ToolName = "mcp__fs__write_file", Context = context };
        operation = operation with { Analysis = OperationAnalyzer.Analyze(operation, AnalysisScope.Create("/home/dev/project", "", Settings(), Pack)) };

        var verdict = await new CoreSafetyPersona().EvaluateAsync(operation, CancellationToken.None);

        Assert.Equal(Verdict.Deny, verdict.Verdict);
    }
}
