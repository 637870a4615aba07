namespace Governance.Abstractions.Pipeline;

/// <summary>The rest of the pipeline, as seen from a step.</summary>
public delegate ValueTask<Decisions.Decision> DecisionDelegate(DecisionContext context);
