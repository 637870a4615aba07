namespace Governance.Server.Hooks;

/// <summary>A hook call this server cannot read; the message says what was wrong and what is expected.</summary>
internal sealed class HookInputException(string message) : Exception(message);
