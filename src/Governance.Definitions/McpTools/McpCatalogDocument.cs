namespace Governance.Definitions.McpTools;

/// <summary>One file of the MCP tool catalog (rules/mcp-tools/NAME.yaml): a server, its aliases and what its tools do.</summary>
internal sealed class McpCatalogDocument
{
    public List<string>? Servers { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, McpToolDocument>? Tools { get; set; }
}
