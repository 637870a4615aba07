using Governance.Abstractions.Decisions;

namespace Governance.Core.Validation;

/// <summary>Checks operation names and maps Claude Code tool names onto the seed kinds.</summary>
public static class OperationNames
{
    private static readonly Dictionary<string, string> ToolKinds = new(StringComparer.Ordinal)
    {
        ["Bash"] = OperationKinds.CommandExecution,
        ["BashOutput"] = OperationKinds.ToolCall,
        ["KillShell"] = OperationKinds.ToolCall,
        ["Edit"] = OperationKinds.FileEdit,
        ["MultiEdit"] = OperationKinds.FileEdit,
        ["NotebookEdit"] = OperationKinds.FileEdit,
        ["Write"] = OperationKinds.FileWrite,
        ["Read"] = OperationKinds.FileRead,
        ["NotebookRead"] = OperationKinds.FileRead,
        ["Grep"] = OperationKinds.FileRead,
        ["Glob"] = OperationKinds.FileRead,
        ["LS"] = OperationKinds.FileRead,
        ["WebFetch"] = OperationKinds.NetworkRequest,
        ["WebSearch"] = OperationKinds.NetworkRequest,
    };

    /// <summary>Letters, digits, '_', '-', '.', ':' and a bounded length.</summary>
    public static bool IsValid(string? name, int maxLength)
    {
        if (string.IsNullOrEmpty(name) || name.Length > maxLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The seed kind for a valid name. Unknown names (other tools, MCP tools) are tool calls.</summary>
    public static string KindOf(string name)
    {
        if (ToolKinds.TryGetValue(name, out var kind))
        {
            return kind;
        }
        foreach (var seed in OperationKinds.All)
        {
            if (string.Equals(seed, name, StringComparison.OrdinalIgnoreCase))
            {
                return seed;
            }
        }
        return OperationKinds.ToolCall;
    }

    /// <summary>True for names Claude Code uses for its own tools or MCP tools (mcp__server__tool).</summary>
    public static bool IsToolName(string name) =>
        ToolKinds.ContainsKey(name) || name.StartsWith("mcp__", StringComparison.Ordinal);
}
