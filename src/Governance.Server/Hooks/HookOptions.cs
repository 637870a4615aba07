namespace Governance.Server.Hooks;

/// <summary>How hook answers treat the server's own failures (configuration section hooks).</summary>
internal sealed record HookOptions
{
    /// <summary>false (default): a call governance could not review is allowed with a loud warning; true: it is denied.</summary>
    public bool FailClosed { get; init; }
}
