namespace Governance.Storage.LiteDb.Permissions;

/// <summary>The data directory or a database file belongs to another user: the audit cannot be kept private there.</summary>
public sealed class UnsafeDataDirectoryException(string message) : IOException(message);
