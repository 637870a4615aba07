using Governance.Definitions.Loading;
using Microsoft.Extensions.Hosting;

namespace Governance.Server.Hosting;

/// <summary>Loads and warms the policy before any surface starts taking requests.</summary>
internal sealed class PolicyStartup(PolicyReloader reloader, PolicySource source) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => reloader.LoadInitialAsync(source, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
