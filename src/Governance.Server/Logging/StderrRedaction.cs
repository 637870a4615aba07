using Governance.Core.Redaction;
using Governance.Server.Configuration;
using Governance.Storage.LiteDb.Permissions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Server.Logging;

/// <summary>
/// Where the process's redactor comes from: the data directory's key once the configuration is known, a random key
/// before (a configuration error can quote a DATABASE_URL with its password). Program wraps stderr with it.
/// </summary>
internal static class StderrRedaction
{
    private static SecretRedactor s_current = SecretRedactor.WithRandomKey();

    public static SecretRedactor Current => Volatile.Read(ref s_current);

    /// <summary>The redactor keyed by this installation's redaction.key (made on first use, 0600 in the private data directory).</summary>
    public static SecretRedactor ForSettings(GovernanceSettings settings) =>
        // No logger: the log's own formatter needs this redactor first. The store logs any tightening of the folder.
        new(RedactionKeyFile.LoadOrCreate(settings.DataDirectory, NullLogger.Instance));

    /// <summary>From now on, what the process writes to stderr itself is redacted under this installation's key.</summary>
    public static void UseKeyOf(GovernanceSettings settings)
    {
        try
        {
            Volatile.Write(ref s_current, ForSettings(settings));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // The random key keeps redacting; the store, opening the same folder, reports the problem with its remedy.
        }
    }

    /// <summary>Wraps Console.Error once, at start.</summary>
    public static void WrapConsoleError() => Console.SetError(new RedactingTextWriter(Console.Error, () => Current));
}
