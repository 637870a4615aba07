using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;

namespace Governance.Core.Pipeline;

/// <summary>Builds the decisions that carry an error object: a refused request, or governance failing to decide.</summary>
public static class Rejection
{
    /// <summary>A request governance could not review (unreadable, malformed, oversized): answered ask or deny, never allow.</summary>
    public static Decision For(DecisionContext context, string message, string code, Verdict verdict = Verdict.Ask) =>
        Build(context, message, code, verdict == Verdict.Allow ? Verdict.Ask : verdict, serverFault: false);

    /// <summary>Governance itself failed: no decision in fail-open (the error's fallback asks), deny in fail-closed.</summary>
    public static Decision Failure(DecisionContext context, string message, string code, bool failClosed) =>
        Build(context, message, code, failClosed ? Verdict.Deny : Verdict.Ask, serverFault: true);

    private static Decision Build(DecisionContext context, string message, string code, Verdict verdict, bool serverFault) => new()
    {
        DecisionId = context.DecisionId,
        CorrelationId = context.CorrelationId,
        SessionId = context.SessionId.Length > 0 ? context.SessionId : context.ConnectionSessionId,
        Operation = context.RawOperation,
        Kind = context.Operation?.Kind ?? "",
        Verdict = verdict,
        Confidence = 0,
        Summary = message,
        PolicyRevision = context.Policy.Revision,
        Timestamp = context.ReceivedAt,
        Error = new GovernanceError
        {
            Error = message,
            Fallback = verdict.ToWire(),
            CorrelationId = context.CorrelationId,
            Timestamp = context.ReceivedAt,
            Code = code,
            IsServerFault = serverFault,
        },
    };
}
