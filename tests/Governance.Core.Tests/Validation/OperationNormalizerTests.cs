using Governance.Abstractions.Decisions;
using Governance.Core.Validation;
using Governance.TestKit;

namespace Governance.Core.Tests.Validation;

public sealed class OperationNormalizerTests
{
    [Theory]
    [InlineData("Bash", OperationKinds.CommandExecution)]
    [InlineData("Edit", OperationKinds.FileEdit)]
    [InlineData("MultiEdit", OperationKinds.FileEdit)]
    [InlineData("NotebookEdit", OperationKinds.FileEdit)]
    [InlineData("Write", OperationKinds.FileWrite)]
    [InlineData("Read", OperationKinds.FileRead)]
    [InlineData("Grep", OperationKinds.FileRead)]
    [InlineData("WebFetch", OperationKinds.NetworkRequest)]
    [InlineData("WebSearch", OperationKinds.NetworkRequest)]
    [InlineData("mcp__github__create_pull_request", OperationKinds.ToolCall)]
    [InlineData("Task", OperationKinds.ToolCall)]
    [InlineData("command_execution", OperationKinds.CommandExecution)]
    [InlineData("FILE_EDIT", OperationKinds.FileEdit)]
    [InlineData("deployment", OperationKinds.Deployment)]
    [InlineData("dependency_change", OperationKinds.DependencyChange)]
    [InlineData("git_operation", OperationKinds.GitOperation)]
    public void KindOf_MapsToolNamesAndSeedKinds(string name, string kind) => Assert.Equal(kind, OperationNames.KindOf(name));

    [Fact]
    public void Normalize_FlatSeedContext_ReadsKnownKeys()
    {
        var context = PipelineHarness.ToElement(new
        {
            file_path = "src/a.cs",
            content = "x",
            old_string = "y",
            cwd = "/repo",
            agent = "claude",
            description = "d",
            session_id = "s",
        });

        var operation = OperationNormalizer.Normalize("file_edit", context, out var error)!;

        Assert.Null(error);
        Assert.Equal(("src/a.cs", "x", "y", "/repo", "claude", "d", "s"),
            (operation.FilePath, operation.Content, operation.OldContent, operation.Cwd, operation.Agent, operation.Description, operation.SessionId));
    }

    [Fact]
    public void Normalize_ClaudeCodeHookPayload_ReadsToolInput()
    {
        var payload = PipelineHarness.ToElement("""
            {"session_id":"abc","transcript_path":"/t","cwd":"/repo","permission_mode":"default","hook_event_name":"PreToolUse",
             "tool_name":"Bash","tool_input":{"command":"git status","description":"Show status"},"tool_use_id":"toolu_1"}
            """);

        var operation = OperationNormalizer.Normalize("tool_call", payload, out _)!;

        Assert.Equal(OperationKinds.CommandExecution, operation.Kind);
        Assert.Equal("Bash", operation.ToolName);
        Assert.Equal("git status", operation.Command);
        Assert.Equal("/repo", operation.Cwd);
        Assert.Equal("toolu_1", operation.ToolUseId);
    }

    [Fact]
    public void Normalize_MultiEdit_JoinsAllNewStrings()
    {
        var payload = PipelineHarness.ToElement("""
            {"tool_name":"MultiEdit","tool_input":{"file_path":"a.py","edits":[{"old_string":"a","new_string":"one"},{"old_string":"b","new_string":"two"}]}}
            """);

        var operation = OperationNormalizer.Normalize("MultiEdit", payload, out _)!;

        Assert.Equal("one\ntwo", operation.Content);
        Assert.Equal("a.py", operation.FilePath);
    }

    [Fact]
    public void Normalize_MissingFields_AreEmptyNotNull()
    {
        var operation = OperationNormalizer.Normalize("tool_call", PipelineHarness.ToElement("{}"), out _)!;

        Assert.All(new[] { operation.Command, operation.FilePath, operation.Content, operation.Url, operation.Cwd }, Assert.NotNull);
        Assert.Equal("", operation.Command);
    }
}
