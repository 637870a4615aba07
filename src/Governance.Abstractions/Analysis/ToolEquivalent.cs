namespace Governance.Abstractions.Analysis;

/// <summary>
/// The built-in operation an MCP tool call amounts to, per the pack's catalog: a shell command (kubectl_delete,
/// call_aws), a file write or read (write_file, read_file) or a fetch (browser_navigate). The call is then judged as
/// that operation, by the same personas and checks, so an MCP route is no way around them.
/// </summary>
public sealed record ToolEquivalent(string Kind, string Command = "", string FilePath = "", string Content = "", string Url = "");
