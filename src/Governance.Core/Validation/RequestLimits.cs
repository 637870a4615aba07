namespace Governance.Core.Validation;

/// <summary>Bounds on what a request may carry (governance.limits in the configuration).</summary>
public sealed record RequestLimits
{
    public int MaxOperationLength { get; init; } = 128;
    /// <summary>
    /// Approximate size of the context in bytes of names and values. A larger context is reviewed as far as a bounded
    /// prefix of each field goes and is never allowed.
    /// </summary>
    public int MaxContextBytes { get; init; } = 1024 * 1024;
    public int MaxContextDepth { get; init; } = 32;
    /// <summary>
    /// The hard limit on one request as it arrives (a hook payload, an HTTP body, a JSON-RPC or decide line): nothing
    /// beyond it is buffered, and such a request is denied unread.
    /// </summary>
    public int MaxRequestBytes { get; init; } = 4 * 1024 * 1024;
}
