using Governance.Abstractions.Policy;
using Governance.Core.Policy;
using Microsoft.Extensions.Logging;

namespace Governance.Definitions.Loading;

/// <summary>
/// Builds, validates and warms a new policy snapshot, then swaps it in — or, if any file fails to load, keeps
/// the last good snapshot for everything and records why. One reload at a time; requests in flight finish on
/// the snapshot they started with.
/// </summary>
public sealed class PolicyReloader(
    PolicyLoader loader,
    PolicyHolder holder,
    TimeProvider time,
    ILogger<PolicyReloader> logger,
    IScriptLoader? scripts = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PolicyStatus _status = new();

    public PolicyStatus Status => Volatile.Read(ref _status);

    /// <summary>The first load: whatever loads is used (there is nothing better to keep), errors are reported.</summary>
    public Task<bool> LoadInitialAsync(PolicySource source, CancellationToken cancellationToken) =>
        RunAsync(source, initial: true, cancellationToken);

    /// <summary>A reload: the new snapshot replaces the current one only if every file loaded.</summary>
    public Task<bool> ReloadAsync(PolicySource source, CancellationToken cancellationToken) =>
        RunAsync(source, initial: false, cancellationToken);

    private async Task<bool> RunAsync(PolicySource source, bool initial, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var attemptedAt = time.GetUtcNow();
            PolicySnapshot candidate;
            try
            {
                candidate = await loader.LoadAsync(source, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                candidate = null!;
                logger.LogError(ex, "Policy load failed");
                return Refuse(attemptedAt, [new PolicyLoadError(source.Root, 0, 0, $"the policy could not be loaded: {ex.Message}")], initial);
            }

            if (!initial && (candidate.LoadErrors.Count > 0 || candidate.CoreOnly))
            {
                scripts?.Retain(holder.Current.ScriptHashes);
                return Refuse(attemptedAt, candidate.LoadErrors.Count > 0 ? candidate.LoadErrors
                    : [new PolicyLoadError(source.PersonasPath, 0, 0, "the pack would load no persona; governance does not run on its built-in safety net alone")], initial);
            }

            var previous = holder.Swap(candidate);
            scripts?.Retain(candidate.ScriptHashes);
            _status = _status with
            {
                ActiveRevision = candidate.Revision,
                LastAttemptAt = attemptedAt,
                LastSuccessAt = attemptedAt,
                Reloads = _status.Reloads + (initial ? 0 : 1),
                LastReloadErrors = initial ? candidate.LoadErrors : [],
            };
            if (!initial)
            {
                logger.LogInformation("Policy reloaded: {PreviousRevision} → {Revision}", previous.Revision, candidate.Revision);
            }
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records a reload refused before loading (e.g. an invalid configuration file), so it shows like any other.</summary>
    public void RecordRefusal(PolicyLoadError error) => Refuse(time.GetUtcNow(), [error], initial: false);

    private bool Refuse(DateTimeOffset attemptedAt, IReadOnlyList<PolicyLoadError> errors, bool initial)
    {
        _status = _status with
        {
            LastAttemptAt = attemptedAt,
            FailedReloads = _status.FailedReloads + (initial ? 0 : 1),
            LastReloadErrors = errors,
        };
        foreach (var error in errors)
        {
            logger.LogError("Policy reload refused, keeping revision {Revision}: {PolicyError}", holder.Current.Revision, error.ToString());
        }
        if (initial)
        {
            // Requests wait for the first policy; if it cannot load at all, the built-in personas serve rather than nobody.
            holder.Swap(holder.Current);
        }
        return false;
    }

    public void Dispose() => _gate.Dispose();
}
