using System.Text;
using Governance.Abstractions.Storage;
using Governance.Core.Redaction;
using Governance.Server.Cli;
using Governance.Server.Configuration;
using Governance.Storage.LiteDb;
using Governance.Storage.LiteDb.Permissions;
using Governance.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Server.Tests.Hosting;

/// <summary>
/// The store the host wires, over a real LiteDB file: after a flush and a close, the file's bytes hold none of the
/// secrets handed to it, in any field, only their markers.
/// </summary>
public sealed class RedactedAuditStoreTests : IDisposable
{
    private static readonly string[] Secrets =
    [
        "ghp_1234567890abcdefghijklmnopqrstuvwxAB",
        "AKIAIOSFODNN7EXAMPLE",
        "s3cr3tP4ssw0rd",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "correcthorsebattery",
        "db.internal.example",
        "MIIEpAIBAAKCAQEA7bq9XyZ",
    ];

    private readonly TempDirectory _pack = new TempDirectory("governance-redaction").WithShippedPack();

    [Fact]
    public async Task HostStore_SecretsInEveryField_NotInTheDatabaseFileBytes()
    {
        var settings = Settings();
        using (var host = GovernanceHost.CreateBuilder(settings, "test").Build())
        {
            var store = host.Services.GetRequiredService<IDecisionStore>();
            Assert.IsType<RedactingDecisionStore>(store);
            await store.AppendAsync(new DecisionRecord
            {
                DecisionId = "d1",
                CorrelationId = "c1",
                SessionId = "s1",
                Timestamp = DateTimeOffset.UtcNow,
                Operation = "Bash",
                Kind = "command_execution",
                Verdict = "ask",
                ToolUseId = "toolu_1",
                Subject = $"export GITHUB_TOKEN={Secrets[0]} && psql postgres://admin:{Secrets[2]}@db:5432/app",
                Summary = $"security: the command carries an AWS key {Secrets[1]}",
                Error = $"curl -H 'Authorization: Bearer {Secrets[3]}' failed",
                ResponseJson = """{"persona_guidance":{"security":{"guidance":"do not paste """ + Secrets[4] + """ into commands"}}}""",
                ContextJson = "{\"command\":\"export GITHUB_TOKEN=" + Secrets[0] + "\",\"env\":{\"password\":\"" + Secrets[5] + "\"}}",
            }, CancellationToken.None);
            await store.AppendAsync(new DecisionRecord
            {
                DecisionId = "d2",
                CorrelationId = "c2",
                SessionId = "s1",
                Timestamp = DateTimeOffset.UtcNow,
                Operation = "Write",
                Kind = "file_write",
                Verdict = "ask",
                Subject = "/repo/.env",
                ContextJson = $$"""{"file_path":"/repo/.env","content":"DB_HOST={{Secrets[6]}}\nKEY=-----BEGIN RSA PRIVATE KEY-----\n{{Secrets[7]}}\n-----END RSA PRIVATE KEY-----\n"}""",
            }, CancellationToken.None);
            await store.AppendOutcomeAsync(new ToolOutcomeRecord
            {
                ToolUseId = "toolu_1",
                SessionId = "s1",
                Timestamp = DateTimeOffset.UtcNow,
                Status = "failed",
                Detail = $"psql: authentication failed for postgres://admin:{Secrets[2]}@db/app; DB_PASSWORD={Secrets[2]}",
            }, CancellationToken.None);
            await store.FlushAsync(CancellationToken.None);

            var recorded = await store.QueryAsync(new DecisionQuery { SessionId = "s1" }, CancellationToken.None);
            Assert.Equal(2, recorded.Count);
            Assert.Contains(recorded, r => r.Subject.Contains("[REDACTED:github-token:", StringComparison.Ordinal));
            Assert.Contains(recorded, r => r.Outcome?.Detail.Contains("[REDACTED:", StringComparison.Ordinal) == true);
        }

        var files = Directory.EnumerateFiles(settings.DataDirectory, "governance*").ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "governance.db");
        var bytes = files.Select(File.ReadAllBytes).ToList();
        // The records are there (the markers are), the secrets are not: in UTF-8 as LiteDB writes, nor in UTF-16.
        Assert.Contains(bytes, b => Contains(b, Encoding.UTF8.GetBytes("[REDACTED:github-token:")));
        foreach (var secret in Secrets)
        {
            foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
            {
                Assert.False(bytes.Any(b => Contains(b, encoding.GetBytes(secret))), $"'{secret}' is in the database file ({encoding.EncodingName})");
            }
        }
    }

    [Fact]
    public void KeyFile_FirstStart_ThirtyTwoBytesOwnerOnly_SameOnTheNextStart()
    {
        var directory = _pack.Combine("data");

        var first = RedactionKeyFile.LoadOrCreate(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var again = RedactionKeyFile.LoadOrCreate(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var path = Path.Combine(directory, RedactionKeyFile.FileName);
        Assert.Equal(32, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(new byte[32], first);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public void KeyFile_LooseMode_IsTightened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var directory = _pack.Combine("data");
        RedactionKeyFile.LoadOrCreate(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var path = Path.Combine(directory, RedactionKeyFile.FileName);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        RedactionKeyFile.LoadOrCreate(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void KeyFile_WrongLength_RefusedNamingThePath()
    {
        var directory = _pack.Combine("data");
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, RedactionKeyFile.FileName), new byte[5]);

        var error = Assert.Throws<InvalidDataException>(() => RedactionKeyFile.LoadOrCreate(directory, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));

        Assert.Contains(RedactionKeyFile.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostRedactor_KeyedByTheDataDirectoryKey()
    {
        var settings = Settings();
        using var host = GovernanceHost.CreateBuilder(settings, "test").Build();

        var redactor = host.Services.GetRequiredService<SecretRedactor>();

        var key = File.ReadAllBytes(Path.Combine(settings.DataDirectory, RedactionKeyFile.FileName));
        Assert.Equal(new SecretRedactor(key).Marker("jwt", "x"), redactor.Marker("jwt", "x"));
    }

    private GovernanceSettings Settings()
    {
        var settings = ConfigLoader.Load(_pack.Combine("mcp_config.yaml"), _pack.Path, _ => null);
        return settings with { LiteDb = settings.LiteDb with { Path = _pack.Combine("data", "governance.db"), Durability = "sync" } };
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public void Dispose() => _pack.Dispose();
}
