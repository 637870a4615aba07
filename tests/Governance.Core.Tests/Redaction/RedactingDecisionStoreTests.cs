using System.Reflection;
using Governance.Abstractions.Storage;
using Governance.Core.Redaction;

namespace Governance.Core.Tests.Redaction;

/// <summary>The decorator hands the inner store records with every string redacted, a new field included.</summary>
public sealed class RedactingDecisionStoreTests
{
    private const string Secret = "ghp_1234567890abcdefghijklmnopqrstuvwxAB";
    private readonly CapturingStore _inner = new();
    private readonly RedactingDecisionStore _store;

    public RedactingDecisionStoreTests() => _store = new RedactingDecisionStore(_inner, new SecretRedactor(new byte[32]));

    [Fact]
    public async Task AppendAsync_SecretInEveryStringProperty_NoneReachesTheInnerStore()
    {
        var record = WithSecretEverywhere(new DecisionRecord
        {
            DecisionId = "",
            CorrelationId = "",
            SessionId = "",
            Timestamp = DateTimeOffset.UnixEpoch,
            Outcome = WithSecretEverywhere(new ToolOutcomeRecord { ToolUseId = "", SessionId = "", Timestamp = DateTimeOffset.UnixEpoch }),
        });

        await _store.AppendAsync(record, CancellationToken.None);

        var stored = Assert.Single(_inner.Decisions);
        AssertNoSecret(stored);
        AssertNoSecret(stored.Outcome!);
        Assert.Contains("[REDACTED:github-token:", stored.Subject, StringComparison.Ordinal);
        Assert.Equal(record.Timestamp, stored.Timestamp);
    }

    [Fact]
    public async Task AppendOutcomeAsync_SecretInEveryStringProperty_NoneReachesTheInnerStore()
    {
        await _store.AppendOutcomeAsync(WithSecretEverywhere(new ToolOutcomeRecord { ToolUseId = "", SessionId = "", Timestamp = DateTimeOffset.UnixEpoch }),
            CancellationToken.None);

        AssertNoSecret(Assert.Single(_inner.Outcomes));
    }

    [Fact]
    public async Task AppendAsync_DotEnvSubject_EveryValueOfTheContentGoes()
    {
        await _store.AppendAsync(new DecisionRecord
        {
            DecisionId = "d",
            CorrelationId = "c",
            SessionId = "s",
            Timestamp = DateTimeOffset.UnixEpoch,
            Operation = "Write",
            Kind = "file_write",
            Subject = "/repo/.env",
            ContextJson = """{"file_path":"/repo/.env","content":"DB_HOST=db.internal\nFEATURE=on-for-beta\n"}""",
        }, CancellationToken.None);

        var stored = Assert.Single(_inner.Decisions);
        Assert.DoesNotContain("db.internal", stored.ContextJson, StringComparison.Ordinal);
        Assert.DoesNotContain("on-for-beta", stored.ContextJson, StringComparison.Ordinal);
        Assert.Contains("DB_HOST=[REDACTED:dotenv-value:", stored.ContextJson, StringComparison.Ordinal);
        Assert.Equal("/repo/.env", stored.Subject);
    }

    [Fact]
    public async Task AppendAsync_CommandNamingDotEnv_OnlyTheTableApplies()
    {
        await _store.AppendAsync(new DecisionRecord
        {
            DecisionId = "d",
            CorrelationId = "c",
            SessionId = "s",
            Timestamp = DateTimeOffset.UnixEpoch,
            Operation = "Bash",
            Kind = "command_execution",
            Subject = "FOO=1 cat .env",
            ContextJson = """{"command":"FOO=1 cat .env"}""",
        }, CancellationToken.None);

        Assert.Equal("""{"command":"FOO=1 cat .env"}""", Assert.Single(_inner.Decisions).ContextJson);
    }

    [Fact]
    public async Task AppendAsync_OrdinaryRecord_StoredAsItCame()
    {
        await _store.AppendAsync(new DecisionRecord
        {
            DecisionId = "d",
            CorrelationId = "c",
            SessionId = "s",
            Timestamp = DateTimeOffset.UnixEpoch,
            Operation = "Bash",
            Subject = "git push origin main",
            Summary = "allowed",
            ContextJson = """{"command":"git push origin main"}""",
        }, CancellationToken.None);

        var stored = Assert.Single(_inner.Decisions);
        Assert.Equal("git push origin main", stored.Subject);
        Assert.Equal("""{"command":"git push origin main"}""", stored.ContextJson);
    }

    private static T WithSecretEverywhere<T>(T record)
    {
        foreach (var property in StringProperties(typeof(T)))
        {
            property.SetValue(record, $"{property.Name} export GITHUB_TOKEN={Secret}");
        }
        return record;
    }

    private static void AssertNoSecret(object record)
    {
        var properties = StringProperties(record.GetType()).ToList();
        Assert.NotEmpty(properties);
        foreach (var property in properties)
        {
            var value = (string?)property.GetValue(record);
            Assert.False(value?.Contains(Secret, StringComparison.Ordinal) ?? false, $"{record.GetType().Name}.{property.Name} kept the secret: {value}");
        }
    }

    private static IEnumerable<PropertyInfo> StringProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string) && p.CanWrite);

    private sealed class CapturingStore : IDecisionStore
    {
        public List<DecisionRecord> Decisions { get; } = [];
        public List<ToolOutcomeRecord> Outcomes { get; } = [];

        public ValueTask AppendAsync(DecisionRecord record, CancellationToken cancellationToken)
        {
            Decisions.Add(record);
            return ValueTask.CompletedTask;
        }

        public ValueTask AppendOutcomeAsync(ToolOutcomeRecord outcome, CancellationToken cancellationToken)
        {
            Outcomes.Add(outcome);
            return ValueTask.CompletedTask;
        }

        public Task<IReadOnlyList<DecisionRecord>> QueryAsync(DecisionQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<DecisionRecord>>(Decisions);

        public Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken) => Task.FromResult<SessionRecord?>(null);

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
