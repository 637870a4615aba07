namespace Governance.Abstractions.Analysis;

/// <summary>
/// Follows symbolic links on the machine the server runs on. The analysis itself does no I/O; the host hands it this so
/// a link in the workspace that points at the guard's files, /etc or a secret is judged by where it really leads.
/// </summary>
public interface IPathLinks
{
    /// <summary>The path with every symbolic link along it resolved, or null when none is (or the path does not exist).</summary>
    string? RealPath(string absolutePath);
}
