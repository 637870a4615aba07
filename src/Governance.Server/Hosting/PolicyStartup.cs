using Governance.Definitions.Loading;
using Microsoft.Extensions.Hosting;

namespace Governance.Server.Hosting;

/// <summary>
/// Loads and warms the policy in the background as the host starts. Surfaces start at once — an MCP client's
/// handshake must not wait seconds for script compilation — and every request waits for the first policy
/// (<see cref="Abstractions.Policy.IPolicyProvider.Loaded"/>).
/// </summary>
internal sealed class PolicyStartup(PolicyReloader reloader, PolicySource source) : IHostedService
{
    private Task _loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(() => reloader.LoadInitialAsync(source, CancellationToken.None), CancellationToken.None);
        return Task.CompletedTask;
    }

    // Stopping waits for a load in progress, so nothing it uses is disposed under it.
    public Task StopAsync(CancellationToken cancellationToken) => _loading.WaitAsync(cancellationToken);
}
