using System.Globalization;
using Governance.Abstractions.Storage;

namespace Governance.Server.Mcp;

/// <summary>Turns the history tool's loose arguments into a query, or a message saying which argument is wrong.</summary>
internal static class HistoryQueryParser
{
    public static DecisionQuery? Parse(string? sessionId, string? operation, string? verdict, string? pattern, string? since, int? limit, out string? error)
    {
        error = null;
        var normalizedVerdict = verdict?.Trim().ToLowerInvariant();
        if (normalizedVerdict is { Length: > 0 } && normalizedVerdict is not ("allow" or "ask" or "deny" or "error"))
        {
            error = $"verdict '{verdict}' is not one of allow, ask, deny, error";
            return null;
        }
        DateTimeOffset? sinceValue = null;
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                error = $"since '{since}' is not a date and time; use ISO 8601, e.g. 2026-11-24T19:00:00Z";
                return null;
            }
            sinceValue = parsed;
        }
        if (limit is { } l && (l < 1 || l > DecisionQuery.MaxLimit))
        {
            error = $"limit {l} must be from 1 to {DecisionQuery.MaxLimit}";
            return null;
        }
        if (pattern is { Length: > 500 })
        {
            error = "pattern is longer than 500 characters; search for a shorter piece of the command, path or URL";
            return null;
        }
        return new DecisionQuery
        {
            SessionId = Blank(sessionId),
            Operation = Blank(operation),
            Verdict = Blank(normalizedVerdict),
            Pattern = Blank(pattern),
            Since = sinceValue,
            Limit = limit ?? 20,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
