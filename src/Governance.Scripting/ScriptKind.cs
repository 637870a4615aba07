namespace Governance.Scripting;

/// <summary>Which folder a script came from; only used to word its load errors.</summary>
internal enum ScriptKind
{
    Persona,
    Plugin,
}
