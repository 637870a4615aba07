namespace Governance.Abstractions.Storage;

/// <summary>What happened to a tool call after it was allowed (Claude Code's PostToolUse), joined to its decision by tool_use_id.</summary>
public sealed class ToolOutcomeRecord
{
    public required string ToolUseId { get; init; }
    public required string SessionId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string ToolName { get; init; } = "";
    /// <summary>ran, failed or interrupted.</summary>
    public string Status { get; init; } = "ran";
    /// <summary>A short excerpt of the tool's error or output, for history.</summary>
    public string Detail { get; init; } = "";
}
