using Governance.Definitions.Loading;
using Governance.Scripting;
using Governance.Server.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Hosting;

/// <summary>
/// Watches personas/, rules/, plugins/ and the configuration file; after a quiet period (editors write a file
/// in several steps) it asks the reloader for a new snapshot. A change to the configuration's governance
/// section (thresholds, folders) is picked up too; other sections need a restart and say so in the log.
/// </summary>
internal sealed class PolicyWatcher(
    PolicyReloader reloader,
    GovernanceSettings settings,
    RoslynScriptLoader scripts,
    TimeProvider time,
    ILogger<PolicyWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(300);

    private readonly ChangeDebouncer _changes = new(time, DefaultQuietPeriod);
    private readonly List<FileSystemWatcher> _watchers = [];
    private PolicySource _source = settings.Policy;

    /// <summary>Called for every file event; <paramref name="configuration"/> when the config file changed.</summary>
    public void NotifyChanged(bool configuration) => _changes.Notify(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Watch();
        // Warm Roslyn now, off the request path, so the first script reload is not a multi-second stall.
        try
        {
            await scripts.WarmAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Script compiler warm-up failed; the first script load will be slower");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var configuration = await _changes.NextBatchAsync(stoppingToken);
            if (configuration && !ReadConfiguration())
            {
                continue;
            }
            await reloader.ReloadAsync(_source, stoppingToken);
        }
    }

    private bool ReadConfiguration()
    {
        try
        {
            var fresh = ConfigLoader.Load(settings.ConfigPath, settings.Root, Environment.GetEnvironmentVariable);
            _source = fresh.Policy;
            if (fresh with { Policy = settings.Policy, Overrides = settings.Overrides } != settings)
            {
                logger.LogWarning("Configuration sections other than 'governance' changed; restart the server to apply them");
            }
            return true;
        }
        catch (ConfigurationException ex)
        {
            logger.LogError("Configuration change refused, keeping the running policy: {Problem}", ex.Message);
            reloader.RecordRefusal(new Abstractions.Policy.PolicyLoadError(settings.ConfigPath ?? ConfigLoader.FileName, 0, 0, ex.Message));
            return false;
        }
    }

    private void Watch()
    {
        foreach (var folder in new[] { _source.PersonasPath, _source.RulesPath, Path.Combine(_source.RulesPath, "mcp-tools"), _source.PluginsPath })
        {
            if (Directory.Exists(folder))
            {
                Add(folder, "*", configuration: false);
            }
            else
            {
                logger.LogInformation("{Folder} does not exist; create it and restart to have it watched", folder);
            }
        }
        if (settings.ConfigPath is { } config)
        {
            Add(Path.GetDirectoryName(config)!, Path.GetFileName(config), configuration: true);
        }
    }

    private void Add(string folder, string filter, bool configuration)
    {
        var watcher = new FileSystemWatcher(folder, filter)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += (_, _) => NotifyChanged(configuration);
        watcher.Created += (_, _) => NotifyChanged(configuration);
        watcher.Deleted += (_, _) => NotifyChanged(configuration);
        watcher.Renamed += (_, _) => NotifyChanged(configuration);
        watcher.Error += (_, e) => logger.LogWarning(e.GetException(), "File watcher error on {Folder}; a change may be missed", folder);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    public override void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _changes.Dispose();
        base.Dispose();
    }
}
