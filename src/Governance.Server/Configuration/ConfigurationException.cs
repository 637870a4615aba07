namespace Governance.Server.Configuration;

/// <summary>The configuration cannot be used; the message names each key, its value and what is allowed.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
