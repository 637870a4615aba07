using System.Text.Json;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Governance.Analysis.Paths;
using Governance.Core.Validation;

namespace Governance.Analysis.Tests.Effects;

public sealed class McpToolEffectsTests
{
    private static readonly McpToolCatalog Catalog = new(new Dictionary<string, IReadOnlyDictionary<string, McpToolMapping>>
    {
        ["kube"] = new Dictionary<string, McpToolMapping>
        {
            ["kubectl_delete"] = new() { Shell = ["kubectl delete {resourceType} [{name}] [-n {namespace}]"] },
            ["exec_in_pod"] = new() { Shell = ["kubectl exec {name} -- {command:raw}"] },
        },
        ["box"] = new Dictionary<string, McpToolMapping>
        {
            ["run"] = new() { Shell = ["docker run [{volumes:flag=-v}] {image} [{command:raw}]"] },
            ["write_file"] = new() { Write = ["path"], Content = ["content"] },
            ["post"] = new() { Sends = ["text"], Action = "send", Flags = ["shared"] },
            ["wipe"] = new() { Action = "wipe", Flags = ["destructive", "irreversible"] },
            ["open"] = new() { Fetch = ["url"] },
        },
    });

    private static OperationAnalysis Analyze(string tool, string input)
    {
        using var document = JsonDocument.Parse($$"""{"tool_input": {{input}}, "cwd": "/home/dev/project"}""");
        var operation = OperationNormalizer.Normalize(tool, document.RootElement.Clone(), out var error);
        Assert.True(operation is not null, error);
        var scope = AnalysisScope.Create(operation.Cwd, "", new AnalysisSettings { Home = "/home/dev", McpTools = Catalog }, "");
        return OperationAnalyzer.Analyze(operation, scope);
    }

    [Theory]
    [InlineData("""{"resourceType": "namespace", "name": "prod"}""", "kubectl delete namespace prod")]
    [InlineData("""{"resourceType": "pod", "name": "api 1", "namespace": "dev"}""", "kubectl delete pod 'api 1' -n dev")]
    [InlineData("""{"resourceType": "pods"}""", "kubectl delete pods")]
    public void Collect_ShellTemplate_IsTheCommandLineTheToolAmountsTo(string input, string expected)
    {
        var analysis = Analyze("mcp__kube__kubectl_delete", input);

        Assert.Equal(new ToolEquivalent(OperationKinds.CommandExecution, Command: expected), analysis.Equivalent);
        Assert.Contains(analysis.Commands, c => c.Name == "kubectl" && c.Origin == "mcp");
    }

    [Fact]
    public void Collect_MissingRequiredArgument_RunsNoCommand()
    {
        var analysis = Analyze("mcp__kube__kubectl_delete", """{"name": "x"}""");

        Assert.Empty(analysis.Commands);
        Assert.Null(analysis.Equivalent);
    }

    [Theory]
    [InlineData("""{"name": "api", "command": ["sh", "-c", "rm -rf /"]}""")]
    [InlineData("""{"name": "api", "command": "rm -rf /"}""")]
    public void Collect_CommandGivenAsArgvOrShellText_IsAnalysedInside(string input)
    {
        var analysis = Analyze("mcp__kube__exec_in_pod", input);

        var delete = Assert.Single(analysis.Effects, e => e.Kind == EffectKinds.Delete);
        Assert.True(delete.HasFlag("recursive"));
        Assert.Contains(delete.Targets, t => t.Path == "/");
    }

    [Fact]
    public void Collect_DockerVolumesAsObject_AreHostMounts()
    {
        var analysis = Analyze("mcp__box__run", """{"image": "alpine", "volumes": {"/": {"bind": "/host"}}, "command": "rm -rf /host/home/dev"}""");

        Assert.Contains(analysis.Commands, c => c.Name == "docker" && c.Text.Contains("-v /:/host", StringComparison.Ordinal));
        Assert.Contains(analysis.Effects, e => e.Kind == EffectKinds.Delete && e.Targets.Any(t => t.Path == "/home/dev"));
    }

    [Fact]
    public void Collect_WriteTool_IsAFileWriteOfItsPathAndContent()
    {
        var analysis = Analyze("mcp__box__write_file", """{"path": "/home/dev/.ssh/authorized_keys", "content": "ssh-ed25519 AAAA x"}""");

        Assert.Equal(new ToolEquivalent(OperationKinds.FileWrite, FilePath: "/home/dev/.ssh/authorized_keys", Content: "ssh-ed25519 AAAA x"), analysis.Equivalent);
        Assert.Contains(analysis.Effects, e => e.Kind == EffectKinds.Write && e.Targets.Any(t => t.Path == "/home/dev/.ssh/authorized_keys"));
    }

    [Theory]
    [InlineData("""{"text": "deploy done"}""", false)]
    [InlineData("""{"text": "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 for you"}""", true)]
    public void Collect_SentText_WithACredential_IsAnUploadOfASecret(string input, bool secret)
    {
        var analysis = Analyze("mcp__box__post", input);

        Assert.Contains(analysis.Effects, e => e.Kind == EffectKinds.ToolAction && e.Detail == "send" && e.HasFlag("shared"));
        Assert.Equal(secret, analysis.Effects.Any(e => e.Kind == EffectKinds.Upload && e.HasFlag("secret")));
        Assert.Null(analysis.Equivalent);
    }

    [Fact]
    public void Collect_NamedAction_CarriesTheCatalogFlags()
    {
        var analysis = Analyze("mcp__box__wipe", "{}");

        var action = Assert.Single(analysis.Effects, e => e.Kind == EffectKinds.ToolAction);
        Assert.Equal("wipe", action.Detail);
        Assert.Equal(["destructive", "irreversible"], action.Flags);
    }

    [Theory]
    [InlineData("""{"url": "file:///home/dev/.aws/credentials"}""", EffectKinds.Read)]
    [InlineData("""{"url": "https://x.example/?k=AKIAIOSFODNN7EXAMPLA"}""", EffectKinds.Upload)]
    public void Collect_FetchedUrl_ReadsLocalFilesAndSendsWhatTheUrlCarries(string input, string kind)
    {
        var analysis = Analyze("mcp__box__open", input);

        Assert.Contains(analysis.Effects, e => e.Kind == kind);
    }

    [Theory]
    [InlineData("mcp__other__drop_tenant_schema", "drop", true)]
    [InlineData("mcp__other__delete_user", "delete", false)]
    public void Collect_UnknownTool_DestructiveVerbOnAWholeStore_IsIrreversible(string tool, string verb, bool irreversible)
    {
        var analysis = Analyze(tool, """{"id": 7}""");

        var action = Assert.Single(analysis.Effects, e => e.Kind == EffectKinds.ToolAction);
        Assert.Equal(verb, action.Detail);
        Assert.True(action.HasFlag("destructive"));
        Assert.Equal(irreversible, action.HasFlag("irreversible"));
    }
}
