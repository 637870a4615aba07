namespace Governance.Definitions.McpTools;

/// <summary>One tool of a catalog file; every list names the tool's arguments (see <see cref="Abstractions.Analysis.McpToolMapping"/>).</summary>
internal sealed class McpToolDocument
{
    public List<string>? Shell { get; set; }
    public List<string>? Sql { get; set; }
    public List<string>? Read { get; set; }
    public List<string>? Write { get; set; }
    public List<string>? Content { get; set; }
    public List<string>? Delete { get; set; }
    public List<string>? Upload { get; set; }
    public List<string>? Fetch { get; set; }
    public List<string>? Code { get; set; }
    public List<string>? Sends { get; set; }
    public string? Action { get; set; }
    public List<string>? Flags { get; set; }
}
