using System.Text;
using Governance.Core.Redaction;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Governance.Server.Logging;

/// <summary>
/// The console format of every log line (the simple formatter's single line: time, level, category, scopes, message,
/// exception: its stack trace only when logging at debug or trace), with the whole line run through the <see cref="SecretRedactor"/> before it is written, at every level.
/// </summary>
internal sealed class RedactingConsoleFormatter(IOptionsMonitor<RedactingConsoleFormatterOptions> options, SecretRedactor redactor)
    : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "governance-redacting";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }
        var current = options.CurrentValue;
        var line = new StringBuilder(128);
        if (current.TimestampFormat is { } format)
        {
            var now = current.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            line.Append(now.ToString(format, System.Globalization.CultureInfo.InvariantCulture));
        }
        line.Append(Level(logEntry.LogLevel)).Append(": ").Append(logEntry.Category).Append('[').Append(logEntry.EventId.Id).Append(']');
        if (current.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope((scope, builder) => builder.Append(" => ").Append(scope), line);
        }
        if (!string.IsNullOrEmpty(message))
        {
            line.Append(' ').Append(OneLine(message));
        }
        if (logEntry.Exception is { } exception)
        {
            // A stack trace is for whoever debugs the server (LOG_LEVEL=debug); at other levels a fault a persona, plugin or
            // store survived is one readable line, and stderr (which Claude Code can show) never carries a trace.
            line.Append(' ').Append(OneLine(current.IncludeStackTraces ? exception.ToString() : Summary(exception)));
        }
        // As JSON text: a message quoting JSON (the MCP SDK traces whole messages) shows its secrets unescaped, whole.
        textWriter.Write(redactor.RedactJson(line.ToString()));
        textWriter.Write(Environment.NewLine);
    }

    private static string Summary(Exception exception)
    {
        var text = new StringBuilder();
        for (Exception? e = exception; e is not null && text.Length < 2000; e = e.InnerException)
        {
            text.Append(text.Length == 0 ? "" : " ---> ").Append(e.GetType().FullName).Append(": ").Append(e.Message);
        }
        return text.ToString();
    }

    private static string OneLine(string text) => text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
