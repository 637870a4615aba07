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

    /// <summary>
    /// The answer to a decided call — allow, ask or deny — or to a call governance could not review (unreadable,
    /// oversized): ask or deny with the reason, never allow. Governance's own failures are not decisions: see <see cref="Failure"/>.
    /// </summary>
    public static JsonObject From(Decision decision)
    {
        if (decision.Error is { } error)
        {
            var verdict = decision.Verdict == Verdict.Allow ? Verdict.Ask : decision.Verdict;
            var then = verdict == Verdict.Deny ? "it is denied" : "a person should confirm it";
            return Output(verdict.ToWire(), $"Governance could not review this call ({error.Error}), so {then}. (decision {decision.DecisionId})");
        }
        return Output(decision.Verdict.ToWire(), Reason(decision));
    }

    /// <summary>
    /// Governance itself failed (broken configuration, an exception, no answer in time). Fail-open gives no decision:
    /// Claude Code's own permission flow decides, and the system message tells the user why. Fail-closed denies.
    /// Never allow: an allow would also skip Claude Code's own permission prompt.
    /// </summary>
    public static JsonObject Failure(string problem, bool failClosed)
    {
        if (failClosed)
        {
            var denied = Output("deny", FailureReason(problem, failClosed: true));
            denied["systemMessage"] = $"Governance blocked a tool call it could not review: {problem}";
            return denied;
        }
        return new JsonObject
        {
            ["systemMessage"] = $"WARNING: governance could not review this tool call ({problem}); Claude Code's own permission settings decide it.",
        };
    }

    public static string FailureReason(string problem, bool failClosed) => failClosed
        ? $"Governance could not review this call ({problem}) and is configured fail-closed, so it is denied. Fix the request or the server (see governance_config)."
        : $"Governance could not review this call ({problem}); Claude Code's own permission settings decide it.";

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
            var summary = decision.Summary.StartsWith(verdict + ": ", StringComparison.Ordinal) ? decision.Summary[(verdict.Length + 2)..] : decision.Summary;
            text.Append("Governance ").Append(verdict).Append(": ").Append(summary);
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
