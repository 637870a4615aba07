namespace Governance.Abstractions.Analysis;

/// <summary>
/// What one MCP tool amounts to, from the pack's catalog (rules/mcp-tools/*.yaml): the shell commands it is
/// equivalent to, the SQL it sends, the files it reads, writes or deletes, the URLs it fetches, the code it runs,
/// the text it sends away, or a named action. Each list names the tool's arguments; templates use {argument}.
/// </summary>
public sealed record McpToolMapping
{
    /// <summary>Shell templates analysed like a Bash command: {arg} is one quoted word (a list: one per item), {arg:raw} is shell text, {arg:flag=-v} puts -v before each item, [ … ] is dropped when an argument in it is missing.</summary>
    public IReadOnlyList<string> Shell { get; init; } = [];
    /// <summary>Arguments holding SQL statements.</summary>
    public IReadOnlyList<string> Sql { get; init; } = [];
    /// <summary>Arguments holding paths the tool reads.</summary>
    public IReadOnlyList<string> Read { get; init; } = [];
    /// <summary>Arguments holding paths the tool writes.</summary>
    public IReadOnlyList<string> Write { get; init; } = [];
    /// <summary>Arguments holding the content written (scanned like an edit's content).</summary>
    public IReadOnlyList<string> Content { get; init; } = [];
    /// <summary>Arguments holding paths the tool deletes.</summary>
    public IReadOnlyList<string> Delete { get; init; } = [];
    /// <summary>Arguments holding paths of local files the tool sends away (an upload into a page or a service).</summary>
    public IReadOnlyList<string> Upload { get; init; } = [];
    /// <summary>Arguments holding URLs the tool fetches or opens.</summary>
    public IReadOnlyList<string> Fetch { get; init; } = [];
    /// <summary>Arguments holding code the tool runs (JavaScript in a page, a script on a server).</summary>
    public IReadOnlyList<string> Code { get; init; } = [];
    /// <summary>Arguments whose text leaves the machine (a message, a comment, a request body).</summary>
    public IReadOnlyList<string> Sends { get; init; } = [];
    /// <summary>A named action on something that is not a file (delete, merge, send, deploy), or empty.</summary>
    public string Action { get; init; } = "";
    /// <summary>Flags of the action: destructive, irreversible, shared, protected.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}
