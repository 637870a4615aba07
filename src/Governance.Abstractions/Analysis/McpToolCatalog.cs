namespace Governance.Abstractions.Analysis;

/// <summary>
/// The tools of well-known MCP servers, by server name and tool name, from the pack's rules/mcp-tools/ folder.
/// Names compare case-insensitively with '-' and '_' alike, so mcp__Kubernetes__kubectl-get finds kubectl_get.
/// </summary>
public sealed class McpToolCatalog
{
    public static readonly McpToolCatalog Empty = new(new Dictionary<string, IReadOnlyDictionary<string, McpToolMapping>>());

    private readonly Dictionary<string, IReadOnlyDictionary<string, McpToolMapping>> _servers;

    /// <param name="servers">Server name (and each alias) to its tools; keys are normalised here.</param>
    public McpToolCatalog(IReadOnlyDictionary<string, IReadOnlyDictionary<string, McpToolMapping>> servers)
    {
        _servers = new Dictionary<string, IReadOnlyDictionary<string, McpToolMapping>>(StringComparer.Ordinal);
        foreach (var (server, tools) in servers)
        {
            _servers[Key(server)] = tools.ToDictionary(t => Key(t.Key), t => t.Value, StringComparer.Ordinal);
        }
    }

    public int ServerCount => _servers.Count;

    /// <summary>Whether the catalog knows this server at all (its unknown tools then fall back to the name's verb).</summary>
    public bool Knows(string server) => _servers.ContainsKey(Key(server));

    public McpToolMapping? Find(string server, string tool) =>
        _servers.TryGetValue(Key(server), out var tools) && tools.TryGetValue(Key(tool), out var mapping) ? mapping : null;

    public static string Key(string name) => name.Replace('-', '_').ToLowerInvariant();
}
