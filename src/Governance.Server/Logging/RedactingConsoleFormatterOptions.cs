using Microsoft.Extensions.Logging.Console;

namespace Governance.Server.Logging;

/// <summary>The console format's options, plus whether an exception shows its stack trace (only when logging at debug or trace).</summary>
internal sealed class RedactingConsoleFormatterOptions : ConsoleFormatterOptions
{
    public bool IncludeStackTraces { get; set; }
}
