using System.Text.Json;
using Governance.Abstractions.Analysis;

namespace Governance.Abstractions.Decisions;

/// <summary>
/// A validated, normalised request: what personas and rules look at. Every text field is non-null
/// (empty when absent) so rule expressions need no null checks.
/// </summary>
public sealed record Operation
{
    /// <summary>The seed kind (<see cref="OperationKinds"/>).</summary>
    public required string Kind { get; init; }
    /// <summary>The operation name as sent: a seed kind or a Claude Code tool name.</summary>
    public required string Name { get; init; }
    public string ToolName { get; init; } = "";
    public string Command { get; init; } = "";
    public string FilePath { get; init; } = "";
    public string Content { get; init; } = "";
    public string OldContent { get; init; } = "";
    public string Url { get; init; } = "";
    public string Cwd { get; init; } = "";
    public string Agent { get; init; } = "";
    public string Description { get; init; } = "";
    public string SessionId { get; init; } = "";
    public string ToolUseId { get; init; } = "";
    /// <summary>The context object as received (a Claude Code hook payload is accepted whole).</summary>
    public JsonElement Context { get; init; }
    /// <summary>Derived facts added by context enrichers (plugins); keys are kebab-case.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = EmptyFacts;

    /// <summary>What the operation would really do (commands, effects, classified paths); filled in before personas run.</summary>
    public OperationAnalysis Analysis { get; init; } = OperationAnalysis.Empty;
    /// <summary>The workspace root named by the request ("workspace"), when it differs from cwd.</summary>
    public string Workspace { get; init; } = "";

    private static readonly IReadOnlyDictionary<string, string> EmptyFacts = new Dictionary<string, string>();

    /// <summary>The one field that best describes what will happen, for logs, history and search.</summary>
    public string Subject =>
        Command.Length > 0 ? Command :
        FilePath.Length > 0 ? FilePath :
        Url.Length > 0 ? Url :
        Description;
}
