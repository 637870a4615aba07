using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;

namespace Governance.Scripting;

/// <summary>
/// What a persona script (<c>personas/&lt;id&gt;.csx</c>) returns: its metadata and how it evaluates an operation.
/// The script's last statement is <c>return new PersonaScript { ... };</c>.
/// </summary>
public sealed class PersonaScript
{
    /// <summary>kebab-case, equal to the file name without .csx.</summary>
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Expertise { get; init; } = "";
    public string Description { get; init; } = "";
    public double Weight { get; init; } = 1.0;
    /// <summary>Overrides governance.persona_timeout_ms when set.</summary>
    public int? TimeoutMs { get; init; }
    public ScriptTriggers Triggers { get; init; } = new();
    /// <summary>The persona's judgement. Build answers with <see cref="Verdicts"/>. Honour the token in long loops.</summary>
    public required Func<Operation, CancellationToken, PersonaVerdict> Evaluate { get; init; }
}
