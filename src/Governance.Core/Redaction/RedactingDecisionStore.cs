using Governance.Abstractions.Decisions;
using Governance.Abstractions.Storage;

namespace Governance.Core.Redaction;

/// <summary>
/// The store every writer uses: each string of a decision or outcome record (subject, summary, context, response
/// JSON with the persona guidance, errors, ids given by clients) is redacted before the inner store sees it, so no
/// secret reaches the database file. A decision about a .env file loses every value of the content it carries.
/// The inner store stays its owner's to dispose.
/// </summary>
public sealed class RedactingDecisionStore(IDecisionStore inner, SecretRedactor redactor) : IDecisionStore
{
    public IDecisionStore Inner => inner;

    public ValueTask AppendAsync(DecisionRecord record, CancellationToken cancellationToken) =>
        inner.AppendAsync(Redact(record), cancellationToken);

    public ValueTask AppendOutcomeAsync(ToolOutcomeRecord outcome, CancellationToken cancellationToken) =>
        inner.AppendOutcomeAsync(Redact(outcome), cancellationToken);

    public Task<IReadOnlyList<DecisionRecord>> QueryAsync(DecisionQuery query, CancellationToken cancellationToken) =>
        inner.QueryAsync(query, cancellationToken);

    public Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        inner.GetSessionAsync(sessionId, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <summary>The record as it may be stored. Ids the server made (decision, correlation) are redacted too: they cost nothing.</summary>
    public DecisionRecord Redact(DecisionRecord record)
    {
        // A file operation's subject is its path; a command's (cat .env) is not, and its output is never stored.
        var dotEnv = record.Kind is OperationKinds.FileRead or OperationKinds.FileWrite or OperationKinds.FileEdit && SecretRedactor.IsDotEnvPath(record.Subject);
        Func<string?, string?> text = dotEnv ? redactor.RedactDotEnv : redactor.Redact;
        Func<string?, string?> json = dotEnv ? redactor.RedactDotEnvJson : redactor.RedactJson;
        return new DecisionRecord
        {
            DecisionId = redactor.Redact(record.DecisionId),
            CorrelationId = redactor.Redact(record.CorrelationId),
            SessionId = redactor.Redact(record.SessionId),
            Timestamp = record.Timestamp,
            Operation = redactor.Redact(record.Operation),
            Kind = redactor.Redact(record.Kind),
            Verdict = redactor.Redact(record.Verdict),
            Confidence = record.Confidence,
            Cached = record.Cached,
            ElapsedMs = record.ElapsedMs,
            PolicyRevision = redactor.Redact(record.PolicyRevision),
            Subject = redactor.Redact(record.Subject),
            Summary = text(record.Summary)!,
            Error = text(record.Error),
            ToolUseId = redactor.Redact(record.ToolUseId),
            Outcome = record.Outcome is { } outcome ? Redact(outcome) : null,
            ResponseJson = json(record.ResponseJson)!,
            ContextJson = json(record.ContextJson)!,
        };
    }

    public ToolOutcomeRecord Redact(ToolOutcomeRecord outcome) => new()
    {
        ToolUseId = redactor.Redact(outcome.ToolUseId),
        SessionId = redactor.Redact(outcome.SessionId),
        Timestamp = outcome.Timestamp,
        ToolName = redactor.Redact(outcome.ToolName),
        Status = redactor.Redact(outcome.Status),
        Detail = redactor.Redact(outcome.Detail),
    };
}
