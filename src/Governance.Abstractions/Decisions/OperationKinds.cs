namespace Governance.Abstractions.Decisions;

/// <summary>The seed's operation kinds. Claude Code tool names map onto these.</summary>
public static class OperationKinds
{
    public const string FileEdit = "file_edit";
    public const string FileWrite = "file_write";
    public const string FileRead = "file_read";
    public const string CommandExecution = "command_execution";
    public const string NetworkRequest = "network_request";
    public const string DependencyChange = "dependency_change";
    public const string GitOperation = "git_operation";
    public const string Deployment = "deployment";
    public const string ToolCall = "tool_call";

    public static IReadOnlyList<string> All { get; } =
    [
        FileEdit, FileWrite, FileRead, CommandExecution, NetworkRequest,
        DependencyChange, GitOperation, Deployment, ToolCall,
    ];
}
