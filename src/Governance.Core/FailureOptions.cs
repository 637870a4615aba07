namespace Governance.Core;

/// <summary>
/// What an answer says when governance itself fails (an exception, no usable policy): fail-open (default) gives no
/// decision, so the client's own permission flow decides; fail-closed denies. Never allow.
/// </summary>
public sealed record FailureOptions
{
    public bool FailClosed { get; init; }
}
