namespace Governance.Server.Hosting;

/// <summary>
/// The session of this process's connection, used when a request's context names no session_id. Over stdio
/// one process serves one connection, so one id per process is one id per connection.
/// </summary>
internal sealed class ConnectionSession(string prefix)
{
    public string Id { get; } = $"{prefix}-{Guid.NewGuid():N}";
}
