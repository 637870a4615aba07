using System.Diagnostics.CodeAnalysis;

namespace Governance.Abstractions.Decisions;

/// <summary>The wire spelling of verdicts and severities, shared by every surface (JSON, YAML, rules).</summary>
public static class ContractText
{
    public static string ToWire(this Verdict verdict) => verdict switch
    {
        Verdict.Allow => "allow",
        Verdict.Ask => "ask",
        Verdict.Deny => "deny",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static string ToWire(this Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static bool TryParseVerdict(string? text, out Verdict verdict)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "allow": verdict = Verdict.Allow; return true;
            case "ask": verdict = Verdict.Ask; return true;
            case "deny": verdict = Verdict.Deny; return true;
            default: verdict = default; return false;
        }
    }

    public static bool TryParseSeverity(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "low": severity = Severity.Low; return true;
            case "medium": severity = Severity.Medium; return true;
            case "high": severity = Severity.High; return true;
            case "critical": severity = Severity.Critical; return true;
            default: severity = default; return false;
        }
    }

    public const string VerdictValues = "allow, ask, deny";
    public const string SeverityValues = "low, medium, high, critical";

    public static bool IsKebabCase([NotNullWhen(true)] string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || id[0] == '-' || id[^1] == '-')
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }
        return !id.Contains("--", StringComparison.Ordinal);
    }
}
