using Governance.Abstractions.Storage;
using Microsoft.Extensions.Hosting;

namespace Governance.Server.Hosting;

/// <summary>Flushes queued decision records when the host stops, so batched durability loses nothing on a clean exit.</summary>
internal sealed class StoreShutdown(IDecisionStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => store.FlushAsync(cancellationToken);
}
