using Governance.Server.Cli;
using Governance.Server.Logging;

// Whatever the process writes to stderr itself passes the redactor too (log lines are redacted by their formatter).
StderrRedaction.WrapConsoleError();

return await GovernanceCli.Build().Parse(args).InvokeAsync();
