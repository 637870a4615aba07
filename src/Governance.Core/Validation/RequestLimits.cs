namespace Governance.Core.Validation;

/// <summary>Bounds on what a request may carry (governance.limits in the configuration).</summary>
public sealed record RequestLimits
{
    public int MaxOperationLength { get; init; } = 128;
    /// <summary>Approximate size of the context in UTF-16 characters of names and values.</summary>
    public int MaxContextBytes { get; init; } = 1024 * 1024;
    public int MaxContextDepth { get; init; } = 32;
}
