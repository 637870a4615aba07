using Governance.Server.Configuration;
using Governance.Server.Hosting;
using Governance.Server.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Cli;

/// <summary>The host every command shares: configuration, stderr logging, core, policy, store.</summary>
internal static class GovernanceHost
{
    public static HostApplicationBuilder CreateBuilder(GovernanceSettings settings, string sessionPrefix)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = settings.Root,
            EnvironmentName = settings.Environment,
            DisableDefaults = true,
        });
        builder.Logging.AddStderrLogging(settings.LogLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services
            .AddGovernanceCore(settings, sessionPrefix)
            .AddPolicyDefinitions(settings)
            .AddLiteDbStore(settings);
        builder.Services.AddSingleton<StatusReporter>();
        builder.Services.AddSingleton(settings.Hooks);
        builder.Services.AddSingleton<Hooks.HookHandler>();
        return builder;
    }

    /// <summary>Logs where the configuration came from, so a missing file (defaults) is never a surprise.</summary>
    public static void LogConfiguration(IServiceProvider services, GovernanceSettings settings)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Configuration");
        if (settings.ConfigPath is null)
        {
            logger.LogWarning("No {ConfigFile} found beside the executable or in the working directory; using defaults (root {Root})",
                ConfigLoader.FileName, settings.Root);
        }
        else
        {
            logger.LogInformation("Configuration {ConfigPath}, policy root {Root}", settings.ConfigPath, settings.Root);
        }
        foreach (var applied in settings.Overrides)
        {
            logger.LogInformation("Environment override {Override}", applied);
        }
    }
}
