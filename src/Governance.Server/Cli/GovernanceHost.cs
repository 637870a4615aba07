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
        AddGovernance(builder.Services, builder.Logging, settings, sessionPrefix);
        return builder;
    }

    /// <summary>Everything a command needs, for the generic host and the web host (serve --transport http) alike.</summary>
    public static void AddGovernance(IServiceCollection services, ILoggingBuilder logging, GovernanceSettings settings, string sessionPrefix)
    {
        services.AddSecretRedaction(settings);
        logging.AddStderrLogging(settings.LogLevel);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services
            .AddGovernanceCore(settings, sessionPrefix)
            .AddPolicyDefinitions(settings)
            .AddLiteDbStore(settings);
        services.AddSingleton<StatusReporter>();
        services.AddSingleton(settings.Hooks);
        services.AddSingleton<Hooks.HookHandler>();
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
