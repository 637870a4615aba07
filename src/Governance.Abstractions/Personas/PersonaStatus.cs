namespace Governance.Abstractions.Personas;

/// <summary>How a persona's consultation ended.</summary>
public enum PersonaStatus
{
    Ok = 0,
    Failed = 1,
    TimedOut = 2,
}
