using System.Globalization;
using Governance.Abstractions.Policy;
using Governance.Core.Caching;
using Governance.Core.Validation;
using Governance.Definitions.Loading;
using Governance.Storage.LiteDb;
using Governance.Storage.LiteDb.Retention;
using Microsoft.Extensions.Logging;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Governance.Server.Configuration;

/// <summary>
/// Reads mcp_config.yaml (or defaults when there is none), applies the environment overrides
/// (GOVERNANCE_PORT, DATABASE_URL, CACHE_TYPE, LOG_LEVEL, MCP_ENV) and validates every value, naming the key
/// and the allowed values when one is wrong.
/// </summary>
internal static class ConfigLoader
{
    public const string FileName = "mcp_config.yaml";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The config file to use: the --config path, else mcp_config.yaml beside the executable, else in the working directory.</summary>
    public static string? Locate(string? explicitPath, IReadOnlyList<string>? searchDirectories = null)
    {
        if (explicitPath is not null)
        {
            var full = Path.GetFullPath(explicitPath);
            return File.Exists(full) ? full : throw new ConfigurationException($"--config: the file '{full}' does not exist");
        }
        foreach (var directory in searchDirectories ?? [AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            var candidate = Path.Combine(directory, FileName);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    public static GovernanceSettings Load(string? configOption, string? rootOption, Func<string, string?> environment,
        IReadOnlyList<string>? searchDirectories = null)
    {
        var path = Locate(configOption, searchDirectories);
        var document = path is null ? new GovernanceConfigDocument() : Parse(path);
        var overrides = ApplyEnvironment(document, environment);
        var root = Path.GetFullPath(rootOption ?? DefaultRoot(path));
        if (!Directory.Exists(root))
        {
            throw new ConfigurationException($"--root: the folder '{root}' does not exist");
        }
        return Validate(document, path, root, overrides);
    }

    private static string DefaultRoot(string? configPath)
    {
        if (configPath is not null)
        {
            return Path.GetDirectoryName(configPath)!;
        }
        return Directory.Exists(Path.Combine(AppContext.BaseDirectory, "personas")) ? AppContext.BaseDirectory : Directory.GetCurrentDirectory();
    }

    private static GovernanceConfigDocument Parse(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot be read ({ex.Message})");
        }
        // Shape first, so each problem names its line, key and what is allowed, rather than a deserializer's type names.
        var problems = YamlShape.Check(text, typeof(GovernanceConfigDocument), out _);
        if (problems.Count > 0)
        {
            throw new ConfigurationException($"Invalid configuration ({path}):\n  " +
                string.Join("\n  ", problems.Select(p => p.Line > 0 ? $"{path}:{p.Line}:{p.Column}: {p.Message}" : $"{path}: {p.Message}")));
        }
        try
        {
            return Deserializer.Deserialize<GovernanceConfigDocument?>(text) ?? new GovernanceConfigDocument();
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            throw new ConfigurationException($"{path}:{ex.Start.Line}:{ex.Start.Column}: {message.TrimEnd('.')}. " +
                "Known sections: server, port, database, cache, governance, hooks (see README, Configuration).");
        }
    }

    private static List<string> ApplyEnvironment(GovernanceConfigDocument document, Func<string, string?> environment)
    {
        var applied = new List<string>();
        if (environment("GOVERNANCE_PORT") is { Length: > 0 } port)
        {
            if (!int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw new ConfigurationException($"GOVERNANCE_PORT (port.preferred): '{port}' is not a whole number; use a port from 1 to 65535");
            }
            document.Port.Preferred = value;
            applied.Add("GOVERNANCE_PORT → port.preferred");
        }
        if (environment("DATABASE_URL") is { Length: > 0 } url)
        {
            if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ||
                url.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            {
                document.Database.Type = "postgresql";
                document.Database.Url = url;
            }
            else
            {
                document.Database.Type = "litedb";
                document.Database.Path = url.StartsWith("litedb://", StringComparison.OrdinalIgnoreCase) ? url["litedb://".Length..] : url;
            }
            applied.Add("DATABASE_URL → database.type/path");
        }
        if (environment("CACHE_TYPE") is { Length: > 0 } cache)
        {
            document.Cache.Type = cache;
            applied.Add("CACHE_TYPE → cache.type");
        }
        if (environment("LOG_LEVEL") is { Length: > 0 } level)
        {
            document.Server.LogLevel = level;
            applied.Add("LOG_LEVEL → server.log_level");
        }
        if (environment("MCP_ENV") is { Length: > 0 } env)
        {
            document.Server.Environment = env;
            applied.Add("MCP_ENV → server.environment");
        }
        return applied;
    }

    private static GovernanceSettings Validate(GovernanceConfigDocument d, string? path, string root, List<string> overrides)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        var logLevel = d.Server.LogLevel.ToLowerInvariant() switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "information" or "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            "none" => LogLevel.None,
            _ => (LogLevel?)null,
        };
        Require(logLevel is not null, $"server.log_level: '{d.Server.LogLevel}' is not one of trace, debug, information, warning, error, critical, none");
        Require(d.Server.Environment is "development" or "staging" or "production" or "test",
            $"server.environment: '{d.Server.Environment}' is not one of development, staging, production, test");
        Require(!string.IsNullOrWhiteSpace(d.Server.Name), "server.name: must not be empty");
        Require(d.Port.Preferred is >= 1 and <= 65535, $"port.preferred: {d.Port.Preferred} is not a port from 1 to 65535");
        Require(d.Port.RangeStart is >= 1 and <= 65535 && d.Port.RangeEnd is >= 1 and <= 65535 && d.Port.RangeStart <= d.Port.RangeEnd,
            $"port.range_start/range_end: {d.Port.RangeStart}..{d.Port.RangeEnd} must be ports from 1 to 65535 with range_start <= range_end");

        var databaseType = d.Database.Type.ToLowerInvariant();
        if (databaseType == "sqlite")
        {
            databaseType = "litedb"; // the seed's embedded default; LiteDB is this server's embedded store
        }
        Require(databaseType is "litedb" or "postgresql", $"database.type: '{d.Database.Type}' is not one of litedb, postgresql");
        Require(databaseType != "postgresql",
            "database.type: 'postgresql' (team mode) is not available in this version yet; use litedb (the default) or unset DATABASE_URL");
        Require(!string.IsNullOrWhiteSpace(d.Database.Path), "database.path: must name the LiteDB file, e.g. data/governance.db");
        Require(d.Database.Durability.ToLowerInvariant() is "sync" or "batched", $"database.durability: '{d.Database.Durability}' is not one of sync, batched");
        Require(d.Database.BatchWindowMs is >= 1 and <= 10_000, $"database.batch_window_ms: {d.Database.BatchWindowMs} must be from 1 to 10000");
        Require(d.Database.BatchMaxSize is >= 1 and <= 10_000, $"database.batch_max_size: {d.Database.BatchMaxSize} must be from 1 to 10000");
        var retention = DatabaseRetention(d.Database.Retention, errors);

        var cacheType = d.Cache.Type.ToLowerInvariant();
        Require(cacheType is "memory" or "none" or "redis", $"cache.type: '{d.Cache.Type}' is not one of memory, none, redis");
        Require(cacheType != "redis", "cache.type: 'redis' (team mode) is not available in this version yet; use memory (the default) or none");
        Require(d.Cache.Ttl is >= 1 and <= 86_400, $"cache.ttl: {d.Cache.Ttl} must be seconds from 1 to 86400");
        Require(d.Cache.MaxSize is >= 1 and <= 1_000_000, $"cache.max_size: {d.Cache.MaxSize} must be from 1 to 1000000");

        var g = d.Governance;
        Require(g.Mode.ToLowerInvariant() is "enforce" or "advisory", $"governance.mode: '{g.Mode}' is not one of enforce, advisory");
        Require(g.ProtectedBranches.All(b => !string.IsNullOrWhiteSpace(b) && !b.Contains(' ', StringComparison.Ordinal)),
            "governance.protected_branches: each entry must be a branch name or a 'prefix/*' glob without spaces, e.g. [main, master, release/*]");
        Require(g.ComplianceLevel is >= 0 and <= 1, $"governance.compliance_level: {g.ComplianceLevel} must be from 0 to 1");
        Require(g.DenyThreshold is >= 0 and <= 1, $"governance.deny_threshold: {g.DenyThreshold} must be from 0 to 1");
        Require(g.AskThreshold is >= 0 and <= 1, $"governance.ask_threshold: {g.AskThreshold} must be from 0 to 1");
        Require(g.PersonaTimeoutMs is >= 1 and <= 60_000, $"governance.persona_timeout_ms: {g.PersonaTimeoutMs} must be from 1 to 60000");
        Require(g.Limits.MaxOperationLength is >= 8 and <= 1024, $"governance.limits.max_operation_length: {g.Limits.MaxOperationLength} must be from 8 to 1024");
        Require(g.Limits.MaxContextBytes is >= 1024 and <= 64 * 1024 * 1024, $"governance.limits.max_context_bytes: {g.Limits.MaxContextBytes} must be from 1024 to 67108864");
        Require(g.Limits.MaxContextDepth is >= 2 and <= 256, $"governance.limits.max_context_depth: {g.Limits.MaxContextDepth} must be from 2 to 256");
        Require(g.Limits.MaxRequestBytes is >= 1024 and <= 256 * 1024 * 1024 && g.Limits.MaxRequestBytes >= g.Limits.MaxContextBytes,
            $"governance.limits.max_request_bytes: {g.Limits.MaxRequestBytes} must be from 1024 to 268435456 and at least max_context_bytes ({g.Limits.MaxContextBytes})");

        var scriptCapabilities = ScriptGrants(g.Scripts, errors);

        if (errors.Count > 0)
        {
            var where = path ?? "defaults";
            throw new ConfigurationException($"Invalid configuration ({where}):\n  " + string.Join("\n  ", errors));
        }

        var databasePath = Path.IsPathRooted(d.Database.Path) ? d.Database.Path : Path.Combine(root, d.Database.Path);
        var policySource = new PolicySource { Root = root, PersonasDirectory = g.PersonasConfig, RulesDirectory = g.RulesConfig, PluginsDirectory = g.PluginsConfig };
        var guardFiles = GuardFiles.Of(policySource.PersonasPath, policySource.RulesPath, policySource.PluginsPath, path,
            Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        return new GovernanceSettings
        {
            ConfigPath = path,
            Root = root,
            ServerName = d.Server.Name,
            Environment = d.Server.Environment,
            LogLevel = logLevel!.Value,
            Port = d.Port.Preferred,
            PortRangeStart = d.Port.RangeStart,
            PortRangeEnd = d.Port.RangeEnd,
            DatabaseType = databaseType,
            LiteDb = new LiteDbStoreOptions
            {
                Path = Path.GetFullPath(databasePath),
                Durability = d.Database.Durability.ToLowerInvariant(),
                BatchWindow = TimeSpan.FromMilliseconds(d.Database.BatchWindowMs),
                BatchMaxSize = d.Database.BatchMaxSize,
                Retention = retention,
            },
            Cache = new CacheOptions { Type = cacheType, Ttl = TimeSpan.FromSeconds(d.Cache.Ttl), MaxSize = d.Cache.MaxSize },
            Policy = new PolicySource
            {
                Root = root,
                PersonasDirectory = g.PersonasConfig,
                RulesDirectory = g.RulesConfig,
                PluginsDirectory = g.PluginsConfig,
                ScriptCapabilities = scriptCapabilities,
                Thresholds = new PolicyThresholds
                {
                    ComplianceLevel = g.ComplianceLevel,
                    DenyConfidence = g.DenyThreshold,
                    AskConfidence = g.AskThreshold,
                    Mode = g.Mode.ToLowerInvariant(),
                    PersonaTimeout = TimeSpan.FromMilliseconds(g.PersonaTimeoutMs),
                },
                Analysis = new AnalysisSettings { ProtectedBranches = g.ProtectedBranches.ToArray(), GuardPaths = guardFiles, Links = FileSystemLinks.Instance },
            },
            Limits = new RequestLimits
            {
                MaxOperationLength = g.Limits.MaxOperationLength,
                MaxContextBytes = g.Limits.MaxContextBytes,
                MaxContextDepth = g.Limits.MaxContextDepth,
                MaxRequestBytes = g.Limits.MaxRequestBytes,
            },
            Hooks = new Hooks.HookOptions { FailClosed = d.Hooks.FailClosed },
            Overrides = overrides,
        };
    }

    /// <summary>governance.scripts.allow: the grants C# scripts get beyond judging, each named once from the allowed values.</summary>
    private static ScriptCapabilities ScriptGrants(GovernanceConfigDocument.ScriptsSection scripts, List<string> errors)
    {
        var granted = ScriptCapabilities.None;
        foreach (var name in scripts.Allow)
        {
            var capability = name switch
            {
                "file_io" => ScriptCapabilities.FileIo,
                "network" => ScriptCapabilities.Network,
                _ => (ScriptCapabilities?)null,
            };
            if (capability is not { } known)
            {
                errors.Add($"governance.scripts.allow: '{name}' is not one of file_io, network");
            }
            else
            {
                granted |= known;
            }
        }
        return granted;
    }

    /// <summary>database.retention: durations parsed, zero and empty meaning "no limit", every problem named by its key.</summary>
    private static LiteDbRetentionOptions DatabaseRetention(GovernanceConfigDocument.RetentionSection r, List<string> errors)
    {
        TimeSpan? maxAge = null;
        if (!string.IsNullOrWhiteSpace(r.MaxAge))
        {
            if (!DurationSetting.TryParse(r.MaxAge, out var age))
            {
                errors.Add($"database.retention.max_age: '{r.MaxAge}' is not a duration; use {DurationSetting.Forms}, or leave it empty to keep decisions whatever their age");
            }
            else if (age < TimeSpan.FromMinutes(1))
            {
                errors.Add($"database.retention.max_age: '{r.MaxAge}' must be at least 1m");
            }
            else
            {
                maxAge = age;
            }
        }
        if (r.MaxCount < 0)
        {
            errors.Add($"database.retention.max_count: {r.MaxCount} must be a number of decisions to keep (1 or more), or 0 for no limit");
        }
        var interval = TimeSpan.FromHours(1);
        if (!DurationSetting.TryParse(r.Interval, out var every))
        {
            errors.Add($"database.retention.interval: '{r.Interval}' is not a duration; use {DurationSetting.Forms}");
        }
        else if (every < TimeSpan.FromMinutes(1) || every > TimeSpan.FromDays(30))
        {
            errors.Add($"database.retention.interval: '{r.Interval}' must be from 1m to 30d");
        }
        else
        {
            interval = every;
        }
        return new LiteDbRetentionOptions { MaxAge = maxAge, MaxCount = r.MaxCount > 0 ? r.MaxCount : null, Interval = interval };
    }
}
