using System.Security.Cryptography;
using System.Text;
using Governance.Abstractions.Decisions;
using Governance.Core.Personas;

namespace Governance.Scripting;

/// <summary>
/// Compiled script images on disk, keyed by the script's name and content and by the exact build of the assemblies
/// scripts compile against, so a process that starts per tool call (the command hook) skips Roslyn when nothing
/// changed. Files are written to a temporary name and renamed, so concurrent processes never read half an image.
/// The folder holds executable code: it deserves the same protection as plugins/.
/// </summary>
public sealed class ScriptImageCache(string directory)
{
    // A new build of Abstractions, Core or Scripting (or another runtime) must not run an image compiled against the old one.
    private static readonly string BuildFingerprint = string.Join(",",
        typeof(Operation).Assembly.ManifestModule.ModuleVersionId,
        typeof(PersonaTriggers).Assembly.ManifestModule.ModuleVersionId,
        typeof(ScriptImageCache).Assembly.ManifestModule.ModuleVersionId,
        Environment.Version);

    public string Directory { get; } = Path.GetFullPath(directory);

    internal ScriptImage? TryRead(string contentHash)
    {
        var (image, entry) = PathsOf(contentHash);
        try
        {
            if (!File.Exists(entry) || !File.Exists(image))
            {
                return null;
            }
            var names = File.ReadAllText(entry).Split('\n');
            if (names.Length != 2 || names[0].Length == 0 || names[1].Length == 0)
            {
                return null;
            }
            return new ScriptImage(File.ReadAllBytes(image), names[0], names[1], []);
        }
        catch (IOException)
        {
            return null; // being replaced, or unreadable: compile instead
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores the image; false (and the reason) when the folder cannot be written, which only costs a later compile.</summary>
    internal bool TryWrite(string contentHash, ScriptImage compiled, out string? problem)
    {
        problem = null;
        var (image, entry) = PathsOf(contentHash);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            // The image first, the entry file last: a reader that finds the entry file finds a whole image.
            WriteAtomically(image, compiled.Bytes!);
            WriteAtomically(entry, Encoding.UTF8.GetBytes(compiled.EntryType + "\n" + compiled.EntryMethod));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return false;
        }
    }

    private (string Image, string Entry) PathsOf(string contentHash)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(contentHash + "\0" + BuildFingerprint)))[..40].ToLowerInvariant();
        return (Path.Combine(Directory, key + ".dll"), Path.Combine(Directory, key + ".entry"));
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
