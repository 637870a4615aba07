using Governance.Abstractions.Decisions;

namespace Governance.Abstractions.Personas;

/// <summary>
/// An expert on the panel. YAML personas, C# script personas and compiled built-ins all implement this;
/// the pipeline cannot tell them apart.
/// </summary>
public interface IPersona
{
    PersonaDescriptor Descriptor { get; }

    /// <summary>Whether this persona has something to say about the operation (its triggers). Must be cheap and pure.</summary>
    bool IsRelevant(Operation operation);

    ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken);
}
