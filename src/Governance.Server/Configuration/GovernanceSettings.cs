using Governance.Core.Caching;
using Governance.Core.Validation;
using Governance.Definitions.Loading;
using Governance.Storage.LiteDb;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Configuration;

/// <summary>The validated configuration every command runs with: paths resolved, environment overrides applied.</summary>
internal sealed record GovernanceSettings
{
    /// <summary>The configuration file used, or null when none was found and defaults apply.</summary>
    public string? ConfigPath { get; init; }
    public required string Root { get; init; }
    public string ServerName { get; init; } = "governance-server";
    public string Environment { get; init; } = "development";
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public int Port { get; init; } = 8001;
    public int PortRangeStart { get; init; } = 8001;
    public int PortRangeEnd { get; init; } = 8100;
    public string DatabaseType { get; init; } = "litedb";
    public required LiteDbStoreOptions LiteDb { get; init; }
    public required CacheOptions Cache { get; init; }
    public required PolicySource Policy { get; init; }
    public required RequestLimits Limits { get; init; }
    public Hooks.HookOptions Hooks { get; init; } = new();
    /// <summary>Compiled C# scripts by content hash, beside the database (data/script-cache): unchanged scripts skip Roslyn at start.</summary>
    public string ScriptCachePath => Path.Combine(DataDirectory, "script-cache");
    /// <summary>The database's folder: script cache and the registry of running servers (.ports.json) live beside it.</summary>
    public string DataDirectory => Path.GetDirectoryName(Path.GetFullPath(LiteDb.Path))!;
    /// <summary>Which environment variables changed which keys, for the start-up log.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
}
