namespace Governance.Abstractions.Rules;

/// <summary>What a rule does to the decision when its expression holds.</summary>
public enum RuleEffect
{
    /// <summary>Adds a warning, leaves the verdict alone.</summary>
    Warn = 0,
    Ask = 1,
    Deny = 2,
}
