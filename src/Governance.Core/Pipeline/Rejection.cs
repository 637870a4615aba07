using Governance.Abstractions.Decisions;
using Governance.Abstractions.Pipeline;

namespace Governance.Core.Pipeline;

/// <summary>Builds the decision that carries a rejected request's error object.</summary>
public static class Rejection
{
    public static Decision For(DecisionContext context, string message, string code) => new()
    {
        DecisionId = context.DecisionId,
        CorrelationId = context.CorrelationId,
        SessionId = context.SessionId.Length > 0 ? context.SessionId : context.ConnectionSessionId,
        Operation = context.RawOperation,
        Kind = context.Operation?.Kind ?? "",
        Verdict = Verdict.Ask,
        Confidence = 0,
        Summary = message,
        PolicyRevision = context.Policy.Revision,
        Timestamp = context.ReceivedAt,
        Error = new GovernanceError
        {
            Error = message,
            Fallback = "ask",
            CorrelationId = context.CorrelationId,
            Timestamp = context.ReceivedAt,
            Code = code,
        },
    };
}
