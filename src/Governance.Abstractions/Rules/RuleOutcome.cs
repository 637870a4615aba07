using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Rules;

/// <summary>A rule that fired.</summary>
public sealed record RuleOutcome(
    string Workflow,
    string Rule,
    RuleEffect Effect,
    Severity Severity,
    string Message,
    string? Recommendation)
{
    public string Id => Workflow + "/" + Rule;
}
