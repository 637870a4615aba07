using Mono.Unix;

namespace Governance.Definitions.Loading;

/// <summary>
/// Which pack files the server will load, as ssh's StrictModes decides for authorized_keys: a file (and the folder it
/// is in) that another user could have changed — writable by group or others, or owned by someone other than this
/// server's user or root — is refused, so a policy only changes when its owner changes it.
/// </summary>
internal static class PackFileTrust
{
    private static readonly long ServerUser = OperatingSystem.IsWindows() ? -1 : Mono.Unix.Native.Syscall.geteuid();

    /// <summary>Null when the file may be loaded, else why not, with the command that fixes it.</summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        try
        {
            return Check(new UnixFileInfo(path), "file") ?? Check(new UnixFileInfo(Path.GetDirectoryName(Path.GetFullPath(path))!), "folder");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return $"its permissions cannot be read ({ex.Message})";
        }
    }

    private static string? Check(UnixFileInfo info, string what)
    {
        info.Refresh();
        var owner = info.OwnerUserId;
        if (owner != ServerUser && owner != 0)
        {
            return $"the {what} {info.FullName} belongs to user {owner}, not to the server's user ({ServerUser}) or root; " +
                   $"only files their owner alone controls are loaded (chown {ServerUser} {info.FullName})";
        }
        var writableByOthers = info.FileAccessPermissions & (FileAccessPermissions.GroupWrite | FileAccessPermissions.OtherWrite);
        if (writableByOthers != 0)
        {
            var mode = Convert.ToString((int)info.FileAccessPermissions & 0x1FF, 8).PadLeft(4, '0');
            return $"the {what} {info.FullName} is writable by {(writableByOthers.HasFlag(FileAccessPermissions.GroupWrite) ? "its group" : "other users")} " +
                   $"(mode {mode}); only files their owner alone can change are loaded (chmod go-w {info.FullName})";
        }
        return null;
    }
}
