using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// The guard's own files — its pack, configuration, data folder with the audit file, executable, .mcp.json and the
/// Claude Code settings that hold its hooks — cannot be written, deleted, moved, linked or chmod-ed by any route:
/// Bash in many spellings, Write/Edit/MultiEdit, MCP filesystem tools; with or without cwd; through symlinks and
/// relative paths. Decided by the published executable (`governance decide`) on a copy of the shipped pack.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class SelfProtectionTests(PublishedServer server) : IDisposable
{
    private const string Project = "/home/dev/project";
    private readonly TempDirectory _pack = new TempDirectory("governance-self").WithShippedPack();
    private readonly TempDirectory _scratch = new("governance-links");

    public void Dispose()
    {
        _pack.Dispose();
        _scratch.Dispose();
    }

    private static JsonObject Line(string operation, JsonObject context) => new() { ["operation"] = operation, ["context"] = context };

    private static JsonObject Bash(string command, string? cwd = Project) => Line("Bash", cwd is null ? new() { ["command"] = command } : new() { ["command"] = command, ["cwd"] = cwd });

    private static JsonObject File(string tool, string path, string? cwd = Project)
    {
        var context = new JsonObject { ["file_path"] = path, ["content"] = "mode: advisory", ["old_string"] = "enforce", ["new_string"] = "advisory" };
        if (cwd is not null)
        {
            context["cwd"] = cwd;
        }
        return Line(tool, context);
    }

    private static JsonObject Mcp(string tool, JsonObject input) => Line("tool_call", new() { ["tool_name"] = tool, ["tool_input"] = input, ["cwd"] = Project });

    private async Task<List<(string Case, string Verdict, string Answer)>> DecideAsync(IReadOnlyList<JsonObject> lines)
    {
        var result = await server.RunAsync(["decide", "--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")],
            string.Join('\n', lines.Select(l => l.ToJsonString())) + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        var answers = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Count, answers.Length);
        return lines.Zip(answers, (line, answer) =>
        {
            using var document = JsonDocument.Parse(answer);
            var verdict = document.RootElement.TryGetProperty("verdict", out var v) ? v.GetString()! : "error:" + document.RootElement.GetProperty("fallback").GetString();
            return (line.ToJsonString(), verdict, answer.Length > 300 ? answer[..300] : answer);
        }).ToList();
    }

    [Fact]
    public async Task EveryRouteToTheGuardsOwnFiles_IsDenied()
    {
        var root = _pack.Path;
        var name = Path.GetFileName(root);
        // A link planted earlier (by the user, say) that leads into the pack.
        var link = _scratch.Combine("rules-link");
        Directory.CreateSymbolicLink(link, _pack.Combine("rules"));
        var linkedConfig = _scratch.Combine("config-link.yaml");
        System.IO.File.CreateSymbolicLink(linkedConfig, _pack.Combine("mcp_config.yaml"));
        var executable = server.Executable;

        JsonObject[] lines =
        [
            Bash($"rm -rf {root}/rules"),
            Bash($"rm {root}/personas/security-reviewer.yaml"),
            Bash($"echo '{{}}' > {root}/rules/new.json"),
            Bash($"echo 'mode: advisory' >> {root}/mcp_config.yaml"),
            Bash("echo 'mode: advisory' >> mcp_config.yaml", cwd: root),
            Bash("echo 'mode: advisory' >> mcp_config.yaml", cwd: null),
            Bash("sed -i 's/deny/allow/' personas/git-steward.yaml", cwd: null),
            Bash($"sed -i 's/deny/allow/' {root}/personas/git-steward.yaml"),
            Bash($"cd {root}/personas && sed -i s/deny/allow/ git-steward.yaml"),
            Bash($"cd {root} && rm -rf personas"),
            Bash($"mv {root}/plugins /tmp/plugins-away"),
            Bash($"chmod 666 {root}/mcp_config.yaml"),
            Bash($"chmod -R 777 {root}"),
            Bash($"cp /tmp/evil.yaml {root}/personas/evil.yaml"),
            Bash($"tee -a {root}/rules/escalation.json < /dev/null"),
            Bash($"truncate -s 0 {root}/data/governance.db"),
            Bash($"rm -f {root}/data/governance.db"),
            Bash($"bash -c \"rm -rf {root}/rules\""),
            Bash($"sudo env X=1 sh -c 'rm -rf {root}/plugins'"),
            Bash($"X={root}; rm -rf $X/rules"),
            Bash($"rm -rf {root}/../{name}/rules/"),
            Bash($"find {root}/rules -name '*.json' -delete"),
            Bash($"python3 -c \"open('{root}/mcp_config.yaml','w').write('')\""),
            Bash($"ln -s {root}/rules ./policy"),
            Bash($"echo x > {link}/planted.json"),
            Bash($"echo 'mode: advisory' >> {linkedConfig}"),
            Bash($"rm {executable}"),
            Bash($"cp /tmp/fake {executable}"),
            Bash("rm .mcp.json"),
            Bash("echo '{}' > .claude/settings.json"),
            Bash("echo '{}' > .claude/settings.local.json"),
            Bash("rm ~/.claude/settings.json"),
            File("Write", $"{root}/rules/new.json"),
            File("Edit", $"{root}/mcp_config.yaml"),
            File("MultiEdit", $"{root}/personas/git-steward.yaml"),
            File("Write", "rules/new.json", cwd: root),
            File("Write", "mcp_config.yaml", cwd: null),
            File("Write", $"{link}/planted.json"),
            File("Edit", linkedConfig),
            File("Write", $"{Project}/.mcp.json"),
            File("Edit", $"{Project}/.claude/settings.json"),
            File("Write", "/home/dev/.claude/settings.json"),
            File("Write", "/home/dev/.claude.json"),
            Mcp("mcp__filesystem__write_file", new() { ["path"] = $"{root}/rules/x.json", ["content"] = "{}" }),
            Mcp("mcp__filesystem__edit_file", new() { ["path"] = $"{root}/personas/git-steward.yaml", ["edits"] = new JsonArray() }),
            Mcp("mcp__filesystem__move_file", new() { ["source"] = $"{root}/personas/git-steward.yaml", ["destination"] = "/tmp/g.yaml" }),
            Mcp("mcp__files__delete_file", new() { ["path"] = $"{root}/mcp_config.yaml" }),
        ];

        var answers = await DecideAsync(lines);

        var passed = answers.Where(a => a.Verdict != "deny").Select(a => $"{a.Verdict}: {a.Case}\n    {a.Answer}").ToList();
        Assert.True(passed.Count == 0, $"{passed.Count} route(s) to the guard's files were not denied:\n" + string.Join('\n', passed));
    }

    [Fact]
    public async Task ReadingTheGuardsFilesAndOrdinaryWork_AreNotDenied()
    {
        var root = _pack.Path;
        JsonObject[] lines =
        [
            Bash($"cat {root}/rules/escalation.json"),
            Bash($"ls -la {root}/personas"),
            Bash($"grep -r deny {root}/personas"),
            File("Read", $"{root}/mcp_config.yaml"),
            File("Write", $"{Project}/src/app.py"),
            Bash("rm -rf ./bin ./obj"),
            Mcp("mcp__filesystem__read_file", new() { ["path"] = $"{root}/personas/git-steward.yaml" }),
        ];

        var answers = await DecideAsync(lines);

        var denied = answers.Where(a => a.Verdict == "deny").Select(a => $"{a.Case}\n    {a.Answer}").ToList();
        Assert.True(denied.Count == 0, "denied:\n" + string.Join('\n', denied));
    }
}
