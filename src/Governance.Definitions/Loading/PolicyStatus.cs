using Governance.Abstractions.Policy;

namespace Governance.Definitions.Loading;

/// <summary>How policy loading has gone: the last attempt, the last success, and why a reload was refused.</summary>
public sealed record PolicyStatus
{
    public string ActiveRevision { get; init; } = "";
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public long Reloads { get; init; }
    public long FailedReloads { get; init; }
    /// <summary>The errors of the last refused reload; empty when the last attempt succeeded.</summary>
    public IReadOnlyList<PolicyLoadError> LastReloadErrors { get; init; } = [];
}
