using Governance.Abstractions.Policy;
using Governance.Server.Configuration;
using Governance.TestKit;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new("governance-config");
    private readonly Dictionary<string, string> _environment = [];

    [Fact]
    public void Load_NoFile_DefaultsFromTheSeed()
    {
        var settings = ConfigLoader.Load(null, _directory.Path, _ => null, searchDirectories: [_directory.Path]);

        Assert.Null(settings.ConfigPath);
        Assert.Equal(("litedb", "memory", 300.0, 1000), (settings.DatabaseType, settings.Cache.Type, settings.Cache.Ttl.TotalSeconds, settings.Cache.MaxSize));
        Assert.Equal(0.95, settings.Policy.Thresholds.ComplianceLevel);
        Assert.Equal(8001, settings.Port);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
        Assert.Equal(Path.Combine(_directory.Path, "data", "governance.db"), settings.LiteDb.Path);
    }

    [Fact]
    public void Load_ShippedConfig_LoadsCleanly()
    {
        var settings = Load(Path.Combine(RepoPaths.Root, "mcp_config.yaml"));

        Assert.Equal("governance-server", settings.ServerName);
        Assert.Equal("batched", settings.LiteDb.Durability);
        Assert.Equal(RepoPaths.Root, settings.Root);
    }

    [Fact]
    public void Load_FileValues_Used()
    {
        var path = Write("""
            server: { name: team-gov, log_level: debug, environment: staging }
            cache: { ttl: 60, max_size: 10 }
            database: { path: /tmp/x/gov.db, durability: sync }
            governance: { compliance_level: 0.9, mode: advisory, persona_timeout_ms: 500 }
            """);

        var settings = Load(path);

        Assert.Equal(("team-gov", LogLevel.Debug, "staging"), (settings.ServerName, settings.LogLevel, settings.Environment));
        Assert.Equal((60.0, 10), (settings.Cache.Ttl.TotalSeconds, settings.Cache.MaxSize));
        Assert.Equal(("/tmp/x/gov.db", true), (settings.LiteDb.Path, settings.LiteDb.IsSync));
        Assert.Equal((0.9, "advisory", 500.0), (settings.Policy.Thresholds.ComplianceLevel, settings.Policy.Thresholds.Mode, settings.Policy.Thresholds.PersonaTimeout.TotalMilliseconds));
    }

    [Fact]
    public void Load_ProtectedBranches_DefaultAndFromFile()
    {
        Assert.Equal(["main", "master", "release/*"], Load(Write("server: { name: x }\n")).Policy.Analysis.ProtectedBranches);

        var settings = Load(Write("governance: { protected_branches: [trunk, \"hotfix/*\"] }\n"));

        Assert.Equal(["trunk", "hotfix/*"], settings.Policy.Analysis.ProtectedBranches);
    }

    [Fact]
    public void Load_HooksFailClosed_DefaultOpenAndFromFile()
    {
        Assert.False(Load(Write("server: { name: x }\n")).Hooks.FailClosed);
        Assert.True(Load(Write("hooks: { fail_closed: true }\n")).Hooks.FailClosed);
    }

    [Fact]
    public void Load_ScriptGrants_NoneByDefaultAndFromFile()
    {
        Assert.Equal(ScriptCapabilities.None, Load(Write("server: { name: x }\n")).Policy.ScriptCapabilities);
        Assert.Equal(ScriptCapabilities.None, Load(Path.Combine(RepoPaths.Root, "mcp_config.yaml")).Policy.ScriptCapabilities);
        Assert.Equal(ScriptCapabilities.FileIo, Load(Write("governance:\n  scripts:\n    allow: [file_io]\n")).Policy.ScriptCapabilities);
        Assert.Equal(ScriptCapabilities.FileIo | ScriptCapabilities.Network,
            Load(Write("governance: { scripts: { allow: [network, file_io] } }\n")).Policy.ScriptCapabilities);
    }

    [Theory]
    [InlineData("governance: { scripts: { allow: [process] } }\n", "governance.scripts.allow: 'process' is not one of file_io, network")]
    [InlineData("governance: { scripts: { allow: file_io } }\n", "governance.scripts.allow: must be a list")]
    [InlineData("governance:\n  scripts:\n    alow: [file_io]\n", ":3:5: unknown key 'governance.scripts.alow'; 'governance.scripts' takes: allow")]
    public void Load_BadScriptGrant_ErrorNamesKeyAndAllowedValues(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Write(yaml)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProtectedBranchWithSpace_RejectedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Write("governance: { protected_branches: [\"main branch\"] }\n")));

        Assert.Contains("governance.protected_branches", error.Message);
    }

    [Fact]
    public void Load_EnvironmentOverrides_WinOverFile()
    {
        var path = Write("server: { log_level: warning }\ncache: { type: memory }\n");
        _environment["GOVERNANCE_PORT"] = "8042";
        _environment["DATABASE_URL"] = "litedb:///tmp/override.db";
        _environment["CACHE_TYPE"] = "none";
        _environment["LOG_LEVEL"] = "error";
        _environment["MCP_ENV"] = "production";

        var settings = Load(path);

        Assert.Equal(8042, settings.Port);
        Assert.Equal("/tmp/override.db", settings.LiteDb.Path);
        Assert.Equal("none", settings.Cache.Type);
        Assert.Equal(LogLevel.Error, settings.LogLevel);
        Assert.Equal("production", settings.Environment);
        Assert.Equal(5, settings.Overrides.Count);
    }

    [Theory]
    [InlineData("cache: { type: mongo }", "cache.type: 'mongo' is not one of memory, none, redis")]
    [InlineData("cache: { ttl: 0 }", "cache.ttl: 0 must be seconds from 1 to 86400")]
    [InlineData("database: { type: oracle }", "database.type: 'oracle' is not one of litedb, postgresql")]
    [InlineData("database: { durability: eventually }", "database.durability: 'eventually' is not one of sync, batched")]
    [InlineData("governance: { compliance_level: 1.5 }", "governance.compliance_level: 1.5 must be from 0 to 1")]
    [InlineData("governance: { mode: yolo }", "governance.mode: 'yolo' is not one of enforce, advisory")]
    [InlineData("server: { log_level: loud }", "server.log_level: 'loud' is not one of")]
    [InlineData("port: { preferred: 70000 }", "port.preferred: 70000 is not a port")]
    public void Load_InvalidValue_ErrorNamesKeyAndAllowedValues(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Write(yaml)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_UnknownKey_ErrorWithLineAndTheKeysTheSectionTakes()
    {
        var path = Write("cache:\n  ttl: 30\n  max_sise: 5\n");

        var error = Assert.Throws<ConfigurationException>(() => Load(path));

        Assert.Contains($"{path}:3:3: unknown key 'cache.max_sise'; 'cache' takes: type, ttl, max_size", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Governance.Server", error.Message, StringComparison.Ordinal); // no type names
    }

    [Theory]
    [InlineData("cache:\n  ttl: abc\n", ":2:8: cache.ttl: 'abc' is not a whole number")]
    [InlineData("cache: 5\n", ":1:8: cache: must be a section of keys (type, ttl, max_size)")]
    [InlineData("governance:\n  protected_branches: main\n", ":2:23: governance.protected_branches: must be a list")]
    [InlineData("hooks: { fail_closed: maybe }\n", "hooks.fail_closed: 'maybe' must be true or false")]
    [InlineData("server:\n  name: x\n bad: [\n", ":3:2: the YAML is not well formed")]
    [InlineData("server:\n  name: x\n\tbad: 1\n", "the YAML is not well formed: While scanning a plain scalar, found a tab character")]
    [InlineData("just some text\n", "the file: must be a section of keys (server, port, database, cache, governance, hooks")]
    [InlineData("sever: { name: x }\n", ":1:1: unknown key 'sever'; the file takes: server, port, database, cache, governance, hooks")]
    public void Load_MalformedFile_ProblemNamesLineKeyAndWhatIsAllowed(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Write(yaml)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralInvalidValues_AllNamed()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(Write("cache: { type: mongo, max_size: 0 }\ngovernance: { deny_threshold: -1 }\n")));

        Assert.Contains("cache.type", error.Message);
        Assert.Contains("cache.max_size", error.Message);
        Assert.Contains("governance.deny_threshold", error.Message);
    }

    [Fact]
    public void Load_BadPortOverride_NamesVariable()
    {
        _environment["GOVERNANCE_PORT"] = "eighty";

        var error = Assert.Throws<ConfigurationException>(() => Load(Write("")));

        Assert.Contains("GOVERNANCE_PORT", error.Message);
    }

    [Fact]
    public void Load_MissingExplicitFile_ErrorNamesPath()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(_directory.Combine("nope.yaml")));

        Assert.Contains("nope.yaml", error.Message);
    }

    private string Write(string yaml)
    {
        var path = _directory.Combine($"config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private GovernanceSettings Load(string? configOption, IReadOnlyList<string>? searchIn = null) =>
        ConfigLoader.Load(configOption, rootOption: null, name => _environment.GetValueOrDefault(name), searchIn);

    public void Dispose() => _directory.Dispose();
}
