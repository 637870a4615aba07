namespace Governance.Scripting;

/// <summary>Thrown by the budget check once one evaluation of a script has allocated more than its memory budget.</summary>
public sealed class ScriptMemoryExceededException(string message) : Exception(message);
