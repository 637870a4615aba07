namespace Governance.Scripting;

/// <summary>
/// Thrown by the budget check woven into a script once its deadline has passed: the persona fan-out reports it as
/// timed_out like any other late persona, and the script's thread is free again.
/// </summary>
public sealed class ScriptTimedOutException(string message) : TimeoutException(message);
