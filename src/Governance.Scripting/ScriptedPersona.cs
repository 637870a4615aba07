using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Core.Personas;

namespace Governance.Scripting;

/// <summary>A persona script behind the persona contract: to the pipeline it is just another persona.</summary>
internal sealed class ScriptedPersona(PersonaDescriptor descriptor, PersonaTriggers triggers, Func<Operation, CancellationToken, PersonaVerdict> evaluate,
    ScriptLimits limits) : IPersona
{
    public PersonaDescriptor Descriptor { get; } = descriptor;

    public bool IsRelevant(Operation operation) => triggers.Matches(operation);

    public ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
    {
        PersonaVerdict verdict;
        // The token is the persona's deadline: the budget checks compiled into the script stop it once it is cancelled.
        using (var run = ScriptBudget.Enter($"script persona {Descriptor.Id}", limits.MemoryPerRun, cancellationToken))
        {
            verdict = evaluate(operation, cancellationToken) ?? throw new InvalidOperationException($"{Descriptor.Id} returned no verdict");
            run.ThrowIfExceeded();
        }
        if (verdict.Warnings.Count == 0)
        {
            return ValueTask.FromResult(verdict);
        }
        return ValueTask.FromResult(verdict with { Warnings = WarningOwnership.Claim(verdict.Warnings, Descriptor.Id) });
    }
}
