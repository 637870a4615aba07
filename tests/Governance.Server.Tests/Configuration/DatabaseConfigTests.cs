using Governance.Server.Configuration;
using Governance.TestKit;

namespace Governance.Server.Tests.Configuration;

/// <summary>The database section's durability bound and retention keys: parsed, defaulted, and refused by key name.</summary>
public sealed class DatabaseConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new("governance-config-db");

    public void Dispose() => _directory.Dispose();

    private GovernanceSettings Load(string yaml)
    {
        var path = _directory.Combine($"config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load(path, rootOption: null, _ => null);
    }

    [Fact]
    public void Load_NoDatabaseKeys_BoundedWriterAndNoRetention()
    {
        var settings = Load("server: { name: x }\n");

        Assert.Equal(256, settings.LiteDb.BatchMaxSize);
        Assert.False(settings.LiteDb.Retention.Enabled);
        Assert.Equal(TimeSpan.FromHours(1), settings.LiteDb.Retention.Interval);
    }

    [Fact]
    public void Load_ShippedConfig_KeepsEverythingByDefault()
    {
        var settings = ConfigLoader.Load(Path.Combine(RepoPaths.Root, "mcp_config.yaml"), rootOption: null, _ => null);

        Assert.False(settings.LiteDb.Retention.Enabled);
        Assert.Equal(256, settings.LiteDb.BatchMaxSize);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    [InlineData("3600s", 60)]
    [InlineData(" 7D ", 7 * 24 * 60)]
    public void Load_RetentionMaxAge_AcceptedForms(string maxAge, int minutes)
    {
        var settings = Load($"database:\n  retention:\n    max_age: \"{maxAge}\"\n    max_count: 5000\n    interval: 15m\n");

        Assert.Equal(TimeSpan.FromMinutes(minutes), settings.LiteDb.Retention.MaxAge);
        Assert.Equal(5000, settings.LiteDb.Retention.MaxCount);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.LiteDb.Retention.Interval);
    }

    [Fact]
    public void Load_RetentionMaxCountZeroAndMaxAgeEmpty_MeanNoLimit()
    {
        var settings = Load("database: { retention: { max_age: '', max_count: 0 } }\n");

        Assert.Null(settings.LiteDb.Retention.MaxAge);
        Assert.Null(settings.LiteDb.Retention.MaxCount);
    }

    [Fact]
    public void Load_BatchMaxSize_Used()
    {
        Assert.Equal(64, Load("database: { batch_max_size: 64 }\n").LiteDb.BatchMaxSize);
    }

    [Theory]
    [InlineData("database: { retention: { max_age: 30 } }", "database.retention.max_age: '30' is not a duration; use a whole number and a unit, s, m, h or d")]
    [InlineData("database: { retention: { max_age: 30 days } }", "database.retention.max_age: '30 days' is not a duration")]
    [InlineData("database: { retention: { max_age: 2w } }", "database.retention.max_age: '2w' is not a duration; use a whole number and a unit, s, m, h or d, up to 10000d (e.g. 90s, 15m, 12h, 30d)")]
    [InlineData("database: { retention: { max_age: -5d } }", "database.retention.max_age: '-5d' is not a duration")]
    [InlineData("database: { retention: { max_age: 99999d } }", "database.retention.max_age: '99999d' is not a duration")]
    [InlineData("database: { retention: { max_age: 30s } }", "database.retention.max_age: '30s' must be at least 1m")]
    [InlineData("database: { retention: { max_count: -1 } }", "database.retention.max_count: -1 must be a number of decisions to keep (1 or more), or 0 for no limit")]
    [InlineData("database: { retention: { interval: soon } }", "database.retention.interval: 'soon' is not a duration")]
    [InlineData("database: { retention: { interval: 10s } }", "database.retention.interval: '10s' must be from 1m to 30d")]
    [InlineData("database: { retention: { interval: 60d } }", "database.retention.interval: '60d' must be from 1m to 30d")]
    [InlineData("database: { batch_max_size: 0 }", "database.batch_max_size: 0 must be from 1 to 10000")]
    public void Load_InvalidDatabaseValue_ErrorNamesKeyAndAcceptedForms(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(yaml + "\n"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
