namespace Governance.Server.Hosting;

/// <summary>
/// The session of this process's connection, used when a request's context names no session_id. Over stdio
/// one process serves one connection, so one id per process is one id per connection. Claude Code starts its MCP
/// servers and hooks with CLAUDE_CODE_SESSION_ID set: then that is the id, so consult_governance calls land in the
/// same session as the hook decisions of that conversation.
/// </summary>
internal sealed class ConnectionSession(string prefix, string? clientSessionId = null)
{
    public const string ClaudeCodeVariable = "CLAUDE_CODE_SESSION_ID";
    private const int MaxLength = 128;

    public string Id { get; } = IsUsable(clientSessionId) ? clientSessionId! : $"{prefix}-{Guid.NewGuid():N}";

    private static bool IsUsable(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
