using Governance.Storage.LiteDb.Permissions;
using Governance.TestKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Storage.LiteDb.Tests;

/// <summary>
/// The audit is private to the server's user: the data directory 0700, the database and LiteDB's side files 0600,
/// checked at start. What this user owns is tightened (and logged); what another user owns is refused by path.
/// These tests need POSIX modes; the suite runs on Linux.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPermissionTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const int Nobody = 65534;
    private readonly TempDirectory _directory = new("governance-perm");

    public void Dispose() => _directory.Dispose();

    private static bool IsRoot => NativeMethods.EffectiveUserId() == 0;

    private LiteDbDecisionStore Open(string path, ILogger<LiteDbDecisionStore>? logger = null) =>
        new(new LiteDbStoreOptions { Path = path, Durability = "sync" }, TimeProvider.System, logger ?? NullLogger<LiteDbDecisionStore>.Instance);

    [Fact]
    public async Task Constructor_NothingThereYet_CreatesFolder0700AndDatabase0600()
    {
        var path = _directory.Combine("fresh", "data", "governance.db");

        using (var store = Open(path))
        {
            await store.AppendAsync(SampleRecords.Make("d1"), CancellationToken.None).Within();
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Constructor_NewFolder_FilesAnyoneCreatesInItAreOwnerOnly()
    {
        var path = _directory.Combine("data", "governance.db");
        using var store = Open(path);

        // LiteDB creates name-log.db on each write (and deletes it after) with the default mode, 0666 less the umask:
        // whatever creates a file in the data directory, it must come out 0600 (and a folder 0700).
        var side = _directory.Combine("data", "governance-log.db.probe");
        File.WriteAllText(side, "x");
        var folder = Directory.CreateDirectory(_directory.Combine("data", "script-cache")).FullName;

        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(side));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void Constructor_ExistingLooseFolderAndFiles_TightensThemAndLogsEach()
    {
        var folder = Directory.CreateDirectory(_directory.Combine("data")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("755", 8));
        var path = Path.Combine(folder, "governance.db");
        using (Open(path))
        {
        }
        var log = Path.Combine(folder, "governance-log.db"); // left behind by a kill -9
        File.WriteAllBytes(log, []);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        File.SetUnixFileMode(log, (UnixFileMode)Convert.ToInt32("664", 8));
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("775", 8));
        var logger = new ListLogger<LiteDbDecisionStore>();

        using (Open(path, logger))
        {
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path));
        var warnings = logger.At(LogLevel.Warning).ToArray();
        Assert.Contains(warnings, w => w.Contains(folder, StringComparison.Ordinal) && w.Contains("from 0775 to 0700", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains(path, StringComparison.Ordinal) && w.Contains("from 0644 to 0600", StringComparison.Ordinal));
        if (File.Exists(log))
        {
            // LiteDB may have folded the empty log away on open; if it is still there it was tightened too.
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(log));
        }
    }

    [Fact]
    public void Constructor_AlreadyPrivate_LogsNothingAboutPermissions()
    {
        var path = _directory.Combine("data", "governance.db");
        using (Open(path))
        {
        }
        var logger = new ListLogger<LiteDbDecisionStore>();

        using (Open(path, logger))
        {
        }

        Assert.Empty(logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Constructor_FolderOfAnotherUser_RefusesNamingThePath()
    {
        string folder;
        if (IsRoot)
        {
            folder = Directory.CreateDirectory(_directory.Combine("theirs")).FullName;
            File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("777", 8)); // writable by us, still not ours
            await ChownAsync(folder, Nobody);
        }
        else
        {
            folder = "/usr"; // root's, and this test does not run as root
        }
        var path = Path.Combine(folder, "governance.db");

        var refused = Assert.Throws<UnsafeDataDirectoryException>(() => Open(path));

        Assert.Contains($"'{folder}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("belongs to", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path), "nothing may be created in another user's folder");
    }

    [Fact]
    public async Task Constructor_DatabaseFileOfAnotherUser_RefusesNamingTheFile()
    {
        if (!IsRoot)
        {
            return; // only root can hand a file to another user; CI runs as root
        }
        var path = _directory.Combine("data", "governance.db");
        using (Open(path))
        {
        }
        await ChownAsync(path, Nobody);

        var refused = Assert.Throws<UnsafeDataDirectoryException>(() => Open(path));

        Assert.Contains($"'{path}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("user id 65534", refused.Message, StringComparison.Ordinal);
    }

    private static async Task ChownAsync(string path, int uid)
    {
        var run = await ProcessRunner.RunAsync("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path], timeout: Bounded.Limit);
        Assert.True(run.ExitCode == 0, "chown failed: " + run);
    }
}
