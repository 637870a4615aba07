using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Governance.Storage.LiteDb.Permissions;

/// <summary>
/// The installation's redaction key: 32 random bytes in <c>redaction.key</c> in the data directory, made at first start
/// 0600 in the private (0700) folder. Markers hash secrets under it, so whoever reads the audit without the key cannot
/// test guesses against them. Losing the file only breaks correlation between old and new markers.
/// </summary>
public static class RedactionKeyFile
{
    public const string FileName = "redaction.key";
    public const int KeyBytes = 32;

    /// <summary>Reads the key from the data directory, creating the folder (private) and the key when missing.</summary>
    public static byte[] LoadOrCreate(string dataDirectory, ILogger logger)
    {
        PrivateDataDirectory.PrepareDirectory(dataDirectory, logger);
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }
        if (!OperatingSystem.IsWindows())
        {
            PrivateDataDirectory.SecureFile(path, "redaction key", logger);
        }
        var key = File.ReadAllBytes(path);
        if (key.Length != KeyBytes)
        {
            throw new InvalidDataException(
                $"The redaction key '{path}' holds {key.Length} bytes, not {KeyBytes}: delete it to make a new one (markers written before will no longer match new ones).");
        }
        return key;
    }

    private static void TryCreate(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateDataDirectory.FileMode;
        }
        var temporary = path + "." + Environment.ProcessId + ".tmp";
        try
        {
            // Written whole under a temporary name, then moved: another process never reads half a key.
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (a hook beside the server) made it first: theirs is the key.
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
