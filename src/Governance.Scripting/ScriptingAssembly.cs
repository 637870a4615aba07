namespace Governance.Scripting;

/// <summary>Marker for the scripting assembly (C# script personas and plugins land here).</summary>
public static class ScriptingAssembly
{
    public const string Name = "Governance.Scripting";
}
