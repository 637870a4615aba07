namespace Governance.Abstractions.Rules;

/// <summary>A loaded rule, for reports (governance_config).</summary>
public sealed record RuleDescriptor(string Workflow, string Rule, string Effect, string Severity, string Origin, bool Enabled);
