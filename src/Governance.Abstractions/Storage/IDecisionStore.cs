namespace Governance.Abstractions.Storage;

/// <summary>Where decisions and sessions are recorded. One writer per store; reads may run concurrently.</summary>
public interface IDecisionStore
{
    /// <summary>
    /// Records the decision and updates its session. Completes when the record is durable if durability is
    /// sync, or when it is queued if batched.
    /// </summary>
    ValueTask AppendAsync(DecisionRecord record, CancellationToken cancellationToken);

    /// <summary>Records what a tool call did after it was allowed; durable like <see cref="AppendAsync"/>.</summary>
    ValueTask AppendOutcomeAsync(ToolOutcomeRecord outcome, CancellationToken cancellationToken);

    /// <summary>Newest first, each with the outcome of its tool call when one was recorded.</summary>
    Task<IReadOnlyList<DecisionRecord>> QueryAsync(DecisionQuery query, CancellationToken cancellationToken);

    Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Waits until everything queued so far is on disk.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
