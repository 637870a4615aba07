using Governance.Abstractions.Decisions;
using Governance.Abstractions.Rules;

namespace Governance.Definitions.Rules;

/// <summary>What a loaded rule does when it fires, read from its Properties once at load.</summary>
internal sealed record CompiledRule(string Workflow, string Rule, RuleEffect Effect, Severity Severity, string Message, string? Recommendation);
