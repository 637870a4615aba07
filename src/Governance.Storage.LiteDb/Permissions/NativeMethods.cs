using System.Runtime.InteropServices;
using System.Text;

namespace Governance.Storage.LiteDb.Permissions;

/// <summary>
/// The few POSIX calls .NET has no API for: who owns a file, who we are, and a folder's default ACL. Linux only
/// (glibc or musl) but geteuid; elsewhere each call reports that it is unavailable and the caller falls back.
/// </summary>
internal static class NativeMethods
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    // struct statx is 256 bytes with the same layout on every Linux architecture; stx_uid is at offset 20.
    private const int StatxSize = 256;
    private const int StatxUidOffset = 20;

    /// <summary>The effective user id of this process, or null where there is no such call.</summary>
    public static uint? EffectiveUserId()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return null;
        }
        try
        {
            return geteuid();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The owner's user id of a path (symbolic links followed), or null when it cannot be read here.</summary>
    public static uint? OwnerOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = new byte[StatxSize];
        try
        {
            if (statx(AtFdCwd, NullTerminated(path), 0, StatxUid, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        return BitConverter.ToUInt32(buffer, StatxUidOffset);
    }

    /// <summary>
    /// Sets the folder's default POSIX ACL to owner-only (user rwx, group and other nothing): every file created
    /// in it afterwards, by any process or library, is born 0600 (folders 0700) whatever the creator's umask.
    /// True when it is set (or already was); false where the file system or platform has no ACLs.
    /// </summary>
    public static bool SetOwnerOnlyDefaultAcl(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var name = NullTerminated(DefaultAclName);
        var path = NullTerminated(directory);
        try
        {
            var current = new byte[OwnerOnlyAcl.Length + 1];
            var length = getxattr(path, name, current, current.Length);
            if (length == OwnerOnlyAcl.Length && current.AsSpan(0, (int)length).SequenceEqual(OwnerOnlyAcl))
            {
                return true;
            }
            return setxattr(path, name, OwnerOnlyAcl, OwnerOnlyAcl.Length, 0) == 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private const string DefaultAclName = "system.posix_acl_default";

    // The kernel's xattr form of "u::rwx,g::---,o::---": version 2, then (tag, perm, id) per entry, little-endian;
    // ACL_USER_OBJ = 0x01, ACL_GROUP_OBJ = 0x04, ACL_OTHER = 0x20, id unused (0xFFFFFFFF) for these three.
    private static readonly byte[] OwnerOnlyAcl =
    [
        0x02, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x07, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
        0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
        0x20, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int statx(int dirfd, byte[] pathname, int flags, uint mask, [Out] byte[] statxbuf);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint getxattr(byte[] path, byte[] name, [Out] byte[] value, nint size);

    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int setxattr(byte[] path, byte[] name, byte[] value, nint size, int flags);
}
