using Governance.Abstractions.Policy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Hosting;

/// <summary>
/// A server whose pack loads no persona does not stay up answering "governance failed" to everything: once the first
/// load is done it says why (each file and its error) and stops with exit code 2, as a start-up error.
/// </summary>
internal sealed class UnusablePolicyStop(IPolicyProvider policy, IHostApplicationLifetime lifetime, ILogger<UnusablePolicyStop> logger) : BackgroundService
{
    public const int ExitCode = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await policy.Loaded.WaitAsync(stoppingToken);
        var snapshot = policy.Current;
        if (!snapshot.CoreOnly)
        {
            return;
        }
        logger.LogCritical("The policy pack at {Root} loaded no persona; the server stops instead of running on its built-in safety net alone. " +
            "Load errors: {Errors}", snapshot.Root.Length > 0 ? snapshot.Root : "(the policy root)",
            snapshot.LoadErrors.Count == 0 ? "none (no persona files)" : string.Join("; ", snapshot.LoadErrors.Take(10)));
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
    }
}
