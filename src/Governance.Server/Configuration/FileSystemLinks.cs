using Governance.Abstractions.Analysis;

namespace Governance.Server.Configuration;

/// <summary>
/// Follows symbolic links on this machine for the analysis (which does no I/O itself): one lstat per path component,
/// at most 40 links, like the kernel's own limit. A path that does not exist resolves as far as it does.
/// </summary>
internal sealed class FileSystemLinks : IPathLinks
{
    private const int MaxLinks = 40;

    public static readonly FileSystemLinks Instance = new();

    public string? RealPath(string absolutePath)
    {
        if (!absolutePath.StartsWith('/'))
        {
            return null;
        }
        var pending = new Stack<string>(absolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var followed = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var candidate = current == "/" ? "/" + part : current + "/" + part;
            string? target;
            try
            {
                target = new FileInfo(candidate).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                target = null;
            }
            if (target is null)
            {
                current = candidate;
                continue;
            }
            if (++followed > MaxLinks)
            {
                return null;
            }
            // The target's own components are walked next (they may be links too); a relative target is relative to the link's folder.
            foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }
            if (target.StartsWith('/'))
            {
                current = "/";
            }
        }
        return followed == 0 ? null : current;
    }
}
