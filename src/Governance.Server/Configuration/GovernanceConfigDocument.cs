namespace Governance.Server.Configuration;

/// <summary>The YAML shape of mcp_config.yaml (the seed's sections). Unknown keys are errors, with their line.</summary>
internal sealed class GovernanceConfigDocument
{
    public ServerSection Server { get; set; } = new();
    public PortSection Port { get; set; } = new();
    public DatabaseSection Database { get; set; } = new();
    public CacheSection Cache { get; set; } = new();
    public GovernanceSection Governance { get; set; } = new();
    public HooksSection Hooks { get; set; } = new();

    internal sealed class HooksSection
    {
        /// <summary>Deny (instead of allow with a warning) a tool call governance could not review.</summary>
        public bool FailClosed { get; set; }
    }

    internal sealed class ServerSection
    {
        public string Name { get; set; } = "governance-server";
        public string Environment { get; set; } = "development";
        public string LogLevel { get; set; } = "information";
    }

    internal sealed class PortSection
    {
        public string ServiceName { get; set; } = "governance";
        public int Preferred { get; set; } = 8001;
        public int RangeStart { get; set; } = 8001;
        public int RangeEnd { get; set; } = 8100;
        public int Fallback { get; set; } = 8001;
    }

    internal sealed class DatabaseSection
    {
        public string Type { get; set; } = "litedb";
        public string Path { get; set; } = "data/governance.db";
        public string Url { get; set; } = "";
        public string Durability { get; set; } = "batched";
        public int BatchWindowMs { get; set; } = 50;
        public int BatchMaxSize { get; set; } = 256;
        public RetentionSection Retention { get; set; } = new();
    }

    internal sealed class RetentionSection
    {
        /// <summary>A duration such as 30d or 12h; empty keeps decisions whatever their age.</summary>
        public string MaxAge { get; set; } = "";
        /// <summary>0 keeps any number of decisions.</summary>
        public int MaxCount { get; set; }
        public string Interval { get; set; } = "1h";
    }

    internal sealed class CacheSection
    {
        public string Type { get; set; } = "memory";
        public int Ttl { get; set; } = 300;
        public int MaxSize { get; set; } = 1000;
    }

    internal sealed class GovernanceSection
    {
        public string PersonasConfig { get; set; } = "personas";
        public string RulesConfig { get; set; } = "rules";
        public string PluginsConfig { get; set; } = "plugins";
        public string Mode { get; set; } = "enforce";
        public double ComplianceLevel { get; set; } = 0.95;
        public double DenyThreshold { get; set; } = 0.8;
        public double AskThreshold { get; set; } = 0.5;
        public int PersonaTimeoutMs { get; set; } = 2000;
        /// <summary>Branches (or "prefix/*" globs) where force pushes and deletions are refused.</summary>
        public List<string> ProtectedBranches { get; set; } = ["main", "master", "release/*"];
        public LimitsSection Limits { get; set; } = new();
        public ScriptsSection Scripts { get; set; } = new();
    }

    internal sealed class ScriptsSection
    {
        /// <summary>What C# scripts may do beyond judging: file_io, network. Empty: neither.</summary>
        public List<string> Allow { get; set; } = [];
    }

    internal sealed class LimitsSection
    {
        public int MaxOperationLength { get; set; } = 128;
        public int MaxContextBytes { get; set; } = 1024 * 1024;
        public int MaxContextDepth { get; set; } = 32;
        public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;
    }
}
