using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Pipeline;

/// <summary>
/// One stage of the decision pipeline. It calls <c>next</c> to go on, or answers itself to end the request there (a
/// rejection, a cache hit); a step that must see every answer wraps the rest (<c>var d = await next(context); …</c>).
/// </summary>
public interface IDecisionStep
{
    /// <summary>Stable kebab-case name, used in the order test and in traces.</summary>
    string Name { get; }

    ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next);
}
