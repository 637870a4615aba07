using Governance.Core.Redaction;
using Governance.Server.Hosting;
using Governance.Server.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Governance.Server.Tests.Logging;

/// <summary>The console formatter the host registers: one line like the simple formatter's, redacted at every level.</summary>
public sealed class RedactingConsoleFormatterTests
{
    private const string Token = "ghp_1234567890abcdefghijklmnopqrstuvwxAB";
    private static readonly SecretRedactor Redactor = new(new byte[32]);

    [Theory]
    [InlineData(LogLevel.Trace, "trce")]
    [InlineData(LogLevel.Debug, "dbug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "fail")]
    [InlineData(LogLevel.Critical, "crit")]
    public void Write_SecretInMessageAndException_RedactedAtEveryLevel(LogLevel level, string shown)
    {
        var line = Format(level, $"Decided Bash about export GITHUB_TOKEN={Token}", new InvalidOperationException($"psql postgres://app:hunter2hunter2@db/x\nfailed"));

        Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2hunter2", line, StringComparison.Ordinal);
        Assert.Contains(Redactor.Marker("github-token", Token), line, StringComparison.Ordinal);
        Assert.Contains($" {shown}: Governance.Test[7] Decided Bash about export GITHUB_TOKEN=", line, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: psql postgres://app:[REDACTED:url-password:", line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)); // one line, as before
    }

    [Fact]
    public void Write_OrdinaryMessage_AsTheSimpleFormatterWouldShowIt()
    {
        var line = Format(LogLevel.Information, "Decision allow for Bash", null);

        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} info: Governance\.Test\[7\] Decision allow for Bash\r?\n$", line);
    }

    [Fact]
    public void AddStderrLogging_UsesTheRedactingFormatter()
    {
        using var services = Services();

        var console = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        Assert.Equal(RedactingConsoleFormatter.FormatterName, console.FormatterName);
        Assert.Equal(LogLevel.Trace, console.LogToStandardErrorThreshold);
        Assert.Contains(services.GetServices<ConsoleFormatter>(), f => f is RedactingConsoleFormatter);
    }

    [Theory]
    [InlineData(LogLevel.Information, false)]
    [InlineData(LogLevel.Warning, false)]
    [InlineData(LogLevel.Debug, true)]
    [InlineData(LogLevel.Trace, true)]
    public void Write_Exception_StackTraceOnlyWhenLoggingAtDebugOrTrace(LogLevel configured, bool stackShown)
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("outer", new TimeoutException("The operation has timed out."));
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var line = Format(LogLevel.Warning, "Plugin workspace-facts failed", thrown, configured);

        Assert.Contains("System.InvalidOperationException: outer", line, StringComparison.Ordinal);
        Assert.Contains("---> System.TimeoutException: The operation has timed out.", line, StringComparison.Ordinal);
        Assert.Equal(stackShown, line.Contains("   at ", StringComparison.Ordinal));
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string Format(LogLevel level, string message, Exception? exception, LogLevel configured = LogLevel.Trace)
    {
        using var services = Services(configured);
        var formatter = services.GetServices<ConsoleFormatter>().OfType<RedactingConsoleFormatter>().Single();
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(level, "Governance.Test", new EventId(7), message, exception, (s, _) => s), null, writer);
        return writer.ToString();
    }

    private static ServiceProvider Services(LogLevel configured = LogLevel.Trace)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Redactor);
        services.AddLogging(logging => logging.AddStderrLogging(configured));
        return services.BuildServiceProvider();
    }
}
