using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>Hot reload of a C# script persona in the running published server, over one stdio connection.</summary>
[Collection(PublishedServerCollection.Name)]
public sealed class HotReloadTests(PublishedServer server) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _pack = new TempDirectory("governance-reload").WithShippedPack();

    private static string Script(string guidance) => $$"""
        return new PersonaScript
        {
            Id = "hot-script",
            Name = "Hot Script",
            Triggers = new ScriptTriggers { Operations = ["command_execution"], Commands = [@"\bdeploy\b"] },
            Evaluate = (op, ct) => Verdicts.Ask(0.9, "deploy", "{{guidance}}", "Deploys need a person.", Severity.High),
        };
        """;

    [Fact]
    public async Task ScriptPersona_AddedBrokenFixed_WhileServing()
    {
        await using var client = await McpStdioClient.StartAsync(server.Executable, "serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"));
        var deploy = new JsonObject { ["command"] = "./deploy.sh production" };
        var (unknown, _) = await ConsultPersona(client, deploy);
        Assert.True(unknown); // not there yet
        var initialRevision = (await client.ReadResourceAsync("governance://config")).GetProperty("policy_revision").GetString();

        // 1. add a script persona: consulted by consult_persona and consult_governance within seconds
        File.WriteAllText(_pack.Combine("personas", "hot-script.csx"), Script("Run the deploy from CI, version one."));
        var (_, first) = await McpStdioClient.EventuallyAsync(() => ConsultPersona(client, deploy), r => !r.IsError, Within, "the new script persona");
        Assert.Equal("ask", first.GetProperty("verdict").GetString());
        Assert.Equal("Run the deploy from CI, version one.", first.GetProperty("persona_guidance").GetProperty("hot-script").GetProperty("guidance").GetString());
        Assert.Equal("script", first.GetProperty("persona_guidance").GetProperty("hot-script").GetProperty("source").GetString());
        var (_, panel) = await client.CallToolAsync("consult_governance", new JsonObject { ["operation"] = "Bash", ["context"] = deploy.DeepClone() });
        Assert.True(panel.GetProperty("persona_guidance").TryGetProperty("hot-script", out _));
        var goodRevision = first.GetProperty("policy_revision").GetString();
        Assert.NotEqual(initialRevision, goodRevision);

        // 2. break it: the old version keeps answering, the error shows in governance_config with file and line
        File.WriteAllText(_pack.Combine("personas", "hot-script.csx"), "return new PersonaScript {\n  Id = \"hot-script\",\n  Name = ;\n};\n");
        var config = await McpStdioClient.EventuallyAsync(() => client.ReadResourceAsync("governance://config"),
            c => c.GetProperty("reload").GetProperty("failed_reloads").GetInt64() >= 1, Within, "the refused reload");
        var error = config.GetProperty("reload").GetProperty("last_reload_errors")[0];
        Assert.Equal("personas/hot-script.csx", error.GetProperty("file").GetString());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal(goodRevision, config.GetProperty("policy_revision").GetString());
        var (_, still) = await ConsultPersona(client, deploy);
        Assert.Equal("Run the deploy from CI, version one.", still.GetProperty("persona_guidance").GetProperty("hot-script").GetProperty("guidance").GetString());
        var metrics = await client.ReadResourceAsync("governance://metrics");
        Assert.True(metrics.GetProperty("policy_reload_failures").GetInt64() >= 1);

        // 3. fix it with new content: a new revision answers
        File.WriteAllText(_pack.Combine("personas", "hot-script.csx"), Script("Run the deploy from CI, version two."));
        var (_, fixedAnswer) = await McpStdioClient.EventuallyAsync(() => ConsultPersona(client, deploy),
            r => !r.IsError && r.Body.GetProperty("persona_guidance").GetProperty("hot-script").GetProperty("guidance").GetString()!.EndsWith("two.", StringComparison.Ordinal),
            Within, "the fixed script persona");
        Assert.NotEqual(goodRevision, fixedAnswer.GetProperty("policy_revision").GetString());
        config = await client.ReadResourceAsync("governance://config");
        Assert.Empty(config.GetProperty("reload").GetProperty("last_reload_errors").EnumerateArray());
    }

    [Fact]
    public async Task GovernanceSection_ChangedWhileServing_AppliedOrRefused()
    {
        await using var client = await McpStdioClient.StartAsync(server.Executable, "serve", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml"));
        var before = await client.ReadResourceAsync("governance://config");
        Assert.Equal(0.95, before.GetProperty("thresholds").GetProperty("compliance_level").GetDouble());
        var config = File.ReadAllText(_pack.Combine("mcp_config.yaml"));

        File.WriteAllText(_pack.Combine("mcp_config.yaml"), config.Replace("compliance_level: 0.95", "compliance_level: 0.9", StringComparison.Ordinal));
        var after = await McpStdioClient.EventuallyAsync(() => client.ReadResourceAsync("governance://config"),
            c => c.GetProperty("thresholds").GetProperty("compliance_level").GetDouble() == 0.9, Within, "the new compliance level");
        Assert.NotEqual(before.GetProperty("policy_revision").GetString(), after.GetProperty("policy_revision").GetString());

        File.WriteAllText(_pack.Combine("mcp_config.yaml"), config.Replace("compliance_level: 0.95", "compliance_level: 7", StringComparison.Ordinal));
        var refused = await McpStdioClient.EventuallyAsync(() => client.ReadResourceAsync("governance://config"),
            c => c.GetProperty("reload").GetProperty("failed_reloads").GetInt64() >= 1, Within, "the refused configuration");
        Assert.Contains("governance.compliance_level: 7 must be from 0 to 1",
            refused.GetProperty("reload").GetProperty("last_reload_errors")[0].GetProperty("message").GetString());
        Assert.Equal(0.9, refused.GetProperty("thresholds").GetProperty("compliance_level").GetDouble());
    }

    private static Task<(bool IsError, JsonElement Body)> ConsultPersona(McpStdioClient client, JsonObject context) =>
        client.CallToolAsync("consult_persona", new JsonObject { ["persona"] = "hot-script", ["operation"] = "Bash", ["context"] = context.DeepClone() });

    public void Dispose() => _pack.Dispose();
}
