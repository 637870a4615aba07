using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.LiteDb.Permissions;

/// <summary>
/// Keeps the audit private to the server's user: the database's folder is 0700 with an owner-only default ACL, and
/// the database and LiteDB's side files (name-log.db, name-tmp.db, rebuild backups) are 0600. Creates them so;
/// tightens what this user owns and logs it; refuses, naming the path, what another user owns (that user could read
/// or swap the audit).
/// </summary>
internal static class PrivateDataDirectory
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Checks (and creates) the folder and the files of the database at this full path.</summary>
    public static void Prepare(string databasePath, ILogger logger)
    {
        var directory = Path.GetDirectoryName(databasePath)!;
        PrepareDirectory(directory, logger);
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var user = NativeMethods.EffectiveUserId();
        foreach (var file in DatabaseFiles(databasePath))
        {
            Secure(new FileInfo(file), FileMode, "database file", user, logger);
        }
        if (!File.Exists(databasePath))
        {
            CreateEmpty(databasePath);
        }
    }

    /// <summary>Checks (and creates) the data directory alone: 0700, owned by this user, with an owner-only default ACL.</summary>
    public static void PrepareDirectory(string directory, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            // No POSIX modes: the folder inherits the ACL of its parent (the user's profile by default).
            Directory.CreateDirectory(directory);
            return;
        }
        var user = NativeMethods.EffectiveUserId();
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }
        Secure(new DirectoryInfo(directory), DirectoryMode, "data directory", user, logger);
        // LiteDB creates its -log file on every write and deletes it after (and -tmp for large sorts) with the
        // creator's umask, often 0644. A default ACL makes every file born in the folder 0600, whoever creates it.
        if (!NativeMethods.SetOwnerOnlyDefaultAcl(directory))
        {
            logger.LogDebug("No default ACL on {DataDirectory} (the file system has none): LiteDB's transient side files take the umask; the folder's 0700 keeps them private", directory);
        }
    }

    /// <summary>Makes one file of the data directory 0600, refusing (naming it) when another user owns it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void SecureFile(string path, string what, ILogger logger) =>
        Secure(new FileInfo(path), FileMode, what, NativeMethods.EffectiveUserId(), logger);

    /// <summary>The database and the side files LiteDB names after it: name-log.db, name-tmp.db, name-backup.db, ...</summary>
    private static IEnumerable<string> DatabaseFiles(string databasePath)
    {
        if (File.Exists(databasePath))
        {
            yield return databasePath;
        }
        var pattern = Path.GetFileNameWithoutExtension(databasePath) + "-*" + Path.GetExtension(databasePath);
        foreach (var side in Directory.EnumerateFiles(Path.GetDirectoryName(databasePath)!, pattern))
        {
            yield return side;
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Secure(FileSystemInfo entry, UnixFileMode wanted, string what, uint? user, ILogger logger)
    {
        if (NativeMethods.OwnerOf(entry.FullName) is { } owner && user is { } self && owner != self)
        {
            throw new UnsafeDataDirectoryException(string.Format(CultureInfo.InvariantCulture,
                "The {0} '{1}' belongs to user id {2}, not to this user (id {3}): that user could read or replace the audit. " +
                "Set database.path to a folder of your own, or make this user its owner (chown).", what, entry.FullName, owner, self));
        }
        var mode = entry.UnixFileMode;
        if ((mode & GroupAndOther) == 0 && (mode & wanted) == wanted)
        {
            return;
        }
        try
        {
            entry.UnixFileMode = wanted;
        }
        catch (UnauthorizedAccessException ex)
        {
            // Only the owner (or root) may chmod: where the owner could not be read, this is how another user's file shows.
            throw new UnsafeDataDirectoryException(
                $"The {what} '{entry.FullName}' is {Octal(mode)} and this user cannot make it {Octal(wanted)} ({ex.Message}); it probably belongs to another user. " +
                "Set database.path to a folder of your own, or make this user its owner (chown).");
        }
        logger.LogWarning("Tightened the {What} {Path} from {OldMode} to {NewMode}: only this user may read the audit", what, entry.FullName, Octal(mode), Octal(wanted));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateEmpty(string databasePath)
    {
        try
        {
            // LiteDB initialises an empty file as a new database; creating it here is what makes it 0600 from the start.
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(databasePath))
        {
            // Another process on the same file created it first; its store checked it the same way.
        }
    }

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8);
}
