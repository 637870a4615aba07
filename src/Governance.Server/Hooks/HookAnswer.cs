using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Abstractions.Decisions;

namespace Governance.Server.Hooks;

/// <summary>
/// A decision in Claude Code's PreToolUse hook output format: permissionDecision allow / ask / deny and a
/// permissionDecisionReason that names the personas, the reason and what to do instead.
/// </summary>
internal static class HookAnswer
{
    private const int MaxReason = 1500;

    public static JsonObject From(Decision decision, bool failClosed)
    {
        if (decision.Error is { } error)
        {
            return Failure(error.Error, failClosed);
        }
        return Output(decision.Verdict.ToWire(), Reason(decision));
    }

    /// <summary>
    /// Governance could not review the call. Claude Code runs the tool when a hook fails; fail-open says so loudly
    /// (also to the user, as a system message), fail-closed refuses.
    /// </summary>
    public static JsonObject Failure(string problem, bool failClosed)
    {
        var answer = Output(failClosed ? "deny" : "allow", FailureReason(problem, failClosed));
        answer["systemMessage"] = failClosed
            ? $"Governance blocked a tool call it could not review: {problem}"
            : $"WARNING: governance could not review a tool call and let it run (fail-open): {problem}";
        return answer;
    }

    public static string FailureReason(string problem, bool failClosed) => failClosed
        ? $"Governance could not review this call ({problem}) and is configured fail-closed, so it is denied. Fix the request or the server (see governance_config)."
        : $"WARNING: governance could not review this call ({problem}); it is allowed only because the server runs fail-open. Review it yourself.";

    // Readable reasons (quotes and non-ASCII as they are); still valid JSON for Claude Code.
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonObject answer) => answer.ToJsonString(Compact);

    private static JsonObject Output(string permission, string reason) => new()
    {
        ["hookSpecificOutput"] = new JsonObject
        {
            ["hookEventName"] = "PreToolUse",
            ["permissionDecision"] = permission,
            ["permissionDecisionReason"] = reason.Length <= MaxReason ? reason : reason[..MaxReason] + "…",
        },
    };

    private static string Reason(Decision decision)
    {
        var text = new StringBuilder();
        var verdict = decision.Verdict.ToWire();
        var objecting = decision.PersonaGuidance
            .Where(p => p.Value.Verdict is "deny" or "ask")
            .OrderByDescending(p => p.Value.Verdict == "deny")
            .ThenByDescending(p => p.Value.Confidence)
            .ToList();
        if (decision.Verdict == Verdict.Allow || objecting.Count == 0)
        {
            text.Append("Governance ").Append(verdict).Append(": ").Append(decision.Summary);
        }
        else
        {
            text.Append("Governance ").Append(verdict).Append(" by ").Append(string.Join(", ", objecting.Select(p => p.Key))).Append(". ");
            text.Append(objecting[0].Value.Guidance.TrimEnd('.')).Append('.');
            var instead = decision.Recommendations.FirstOrDefault(r => !string.Equals(r, objecting[0].Value.Guidance, StringComparison.Ordinal));
            if (instead is not null)
            {
                text.Append(" Instead: ").Append(instead.TrimEnd('.')).Append('.');
            }
        }
        text.Append(" (decision ").Append(decision.DecisionId).Append(')');
        return text.ToString();
    }
}
