using Governance.Core.Policy;
using Governance.Definitions.Loading;
using Microsoft.Extensions.Hosting;

namespace Governance.Server.Hosting;

/// <summary>Loads and warms the policy before any surface starts taking requests.</summary>
internal sealed class PolicyStartup(PolicyLoader loader, PolicySource source, PolicyHolder holder) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        holder.Swap(await loader.LoadAsync(source, cancellationToken));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
