namespace Governance.Abstractions.Policy;

/// <summary>Hands out the current policy snapshot. Reading it is one volatile reference read.</summary>
public interface IPolicyProvider
{
    PolicySnapshot Current { get; }

    /// <summary>Completes once the first real policy is in place; surfaces may accept connections before that.</summary>
    Task Loaded { get; }
}
