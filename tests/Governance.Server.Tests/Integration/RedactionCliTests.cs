using System.Text;
using System.Text.Json.Nodes;
using Governance.TestKit;

namespace Governance.Server.Tests.Integration;

/// <summary>
/// The published executable at trace level, handed secrets in commands, file content, hook errors and unreadable
/// lines: neither stderr nor any file of the data directory keeps one; the markers show where they were.
/// </summary>
[Collection(PublishedServerCollection.Name)]
public sealed class RedactionCliTests(PublishedServer server) : IDisposable
{
    private const string GitHubToken = "ghp_1234567890abcdefghijklmnopqrstuvwxAB";
    private const string AwsKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string AwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string DbPassword = "s3cr3tP4ssw0rd";
    private const string Bearer = "abc123def456ghi789jkl";
    private const string DotEnvValue = "db.internal.example";
    private const string SlackToken = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";

    private static readonly string[] Secrets = [GitHubToken, AwsKeyId, AwsSecret, DbPassword, Bearer, DotEnvValue, SlackToken];

    private readonly TempDirectory _pack = new TempDirectory("governance-redaction-cli").WithShippedPack();
    private static readonly Dictionary<string, string> Trace = new() { ["LOG_LEVEL"] = "trace" };

    private string[] Pack => ["--root", _pack.Path, "--config", _pack.Combine("mcp_config.yaml")];

    [Fact]
    public async Task DecideAndHook_AtTraceWithSecrets_NoSecretInStderrOrDataFiles()
    {
        var lines = new[]
        {
            new JsonObject { ["operation"] = "Bash", ["context"] = new JsonObject { ["command"] = $"export GITHUB_TOKEN={GitHubToken} && git push origin main" } },
            new JsonObject { ["operation"] = "Bash", ["context"] = new JsonObject { ["command"] = $"AWS_ACCESS_KEY_ID={AwsKeyId} AWS_SECRET_ACCESS_KEY={AwsSecret} aws s3 ls" } },
            new JsonObject { ["operation"] = "Bash", ["context"] = new JsonObject { ["command"] = $"psql postgres://admin:{DbPassword}@db:5432/app -c 'select 1'" } },
            new JsonObject { ["operation"] = "Bash", ["context"] = new JsonObject { ["command"] = $"curl -H 'Authorization: Bearer {Bearer}' https://api.example.com" } },
            new JsonObject { ["operation"] = "Write", ["context"] = new JsonObject { ["file_path"] = "/repo/.env", ["content"] = $"DB_HOST={DotEnvValue}\n" } },
        }.Select(l => l.ToJsonString()).Append($"not json at all SLACK_TOKEN={SlackToken}");

        var decided = await server.RunAsync(["decide", .. Pack], string.Join('\n', lines) + "\n", Trace);
        var hook = await server.RunAsync(["hook", "--no-forward", .. Pack], new JsonObject
        {
            ["session_id"] = "redaction-session",
            ["hook_event_name"] = "PostToolUseFailure",
            ["tool_name"] = "Bash",
            ["tool_use_id"] = "toolu_redact",
            ["tool_input"] = new JsonObject { ["command"] = "./deploy.sh" },
            ["error"] = $"deploy failed: Authorization: Bearer {Bearer} rejected for {GitHubToken}",
        }.ToJsonString(), Trace);

        Assert.True(decided.ExitCode == 0, decided.ToString());
        Assert.True(hook.ExitCode == 0, hook.ToString());
        Assert.Equal(6, decided.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // The trace line about each decision ran, and shows markers where the secrets were.
        Assert.Contains("trce:", decided.Stderr, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:github-token:", decided.Stderr, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.False(decided.Stderr.Contains(secret, StringComparison.Ordinal), $"decide's stderr shows '{secret}':\n{decided.Stderr}");
            Assert.False(hook.Stderr.Contains(secret, StringComparison.Ordinal), $"hook's stderr shows '{secret}':\n{hook.Stderr}");
        }

        var data = _pack.Combine("data");
        var files = Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "governance.db");
        Assert.Contains(files, f => Path.GetFileName(f) == "redaction.key");
        var bytes = files.Select(File.ReadAllBytes).ToList();
        Assert.Contains(bytes, b => b.AsSpan().IndexOf("[REDACTED:github-token:"u8) >= 0);
        Assert.Contains(bytes, b => b.AsSpan().IndexOf("[REDACTED:dotenv-value:"u8) >= 0);
        foreach (var secret in Secrets)
        {
            var utf8 = Encoding.UTF8.GetBytes(secret);
            var owner = files.Where((_, i) => bytes[i].AsSpan().IndexOf(utf8) >= 0).ToList();
            Assert.True(owner.Count == 0, $"'{secret}' is in {string.Join(", ", owner)}");
        }

        // history reads what was stored: markers, no secrets.
        var history = await server.RunAsync(["history", "--json", "--last", "20", .. Pack]);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("[REDACTED:", history.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, history.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_InvalidFilterQuotingASecret_StderrRedacted()
    {
        var result = await server.RunAsync(["history", "--verdict", $"API_KEY={GitHubToken}", .. Pack]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("governance history:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:github-token:", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _pack.Dispose();
}
