using Governance.Abstractions.Caching;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;
using Governance.Abstractions.Storage;
using Governance.Core;
using Governance.Core.Caching;
using Governance.Core.Metrics;
using Governance.Core.Personas;
using Governance.Core.Pipeline;
using Governance.Core.Policy;
using Governance.Core.Redaction;
using Governance.Definitions.Loading;
using Governance.Server.Configuration;
using Governance.Server.Logging;
using Governance.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Hosting;

/// <summary>One registration method per feature; Program and the commands compose them.</summary>
internal static class GovernanceServiceCollectionExtensions
{
    /// <summary>The pipeline, its steps and built-in personas (found by assembly scanning), cache, metrics, engine.</summary>
    public static IServiceCollection AddGovernanceCore(this IServiceCollection services, GovernanceSettings settings, string sessionPrefix)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(settings.Limits);
        services.AddSingleton(settings.Cache);
        services.AddSingleton(new FailureOptions { FailClosed = settings.Hooks.FailClosed });
        services.AddSingleton(new ConnectionSession(sessionPrefix, Environment.GetEnvironmentVariable(ConnectionSession.ClaudeCodeVariable)));
        services.AddSingleton<GovernanceMetrics>();
        services.AddSingleton<Governance.Core.Plugins.PluginRunner>();
        services.AddSingleton<IDecisionCache>(sp => settings.Cache.Type == "none"
            ? new NoDecisionCache()
            : new LruDecisionCache(settings.Cache, sp.GetRequiredService<TimeProvider>()));

        // Adding a compiled persona or step is adding a class: Scrutor finds it.
        services.Scan(scan => scan
            .FromAssemblyOf<CoreSafetyPersona>()
            .AddClasses(classes => classes.AssignableTo<IPersona>(), publicOnly: false)
            .As<IPersona>()
            .WithSingletonLifetime()
            .AddClasses(classes => classes.AssignableTo<IDecisionStep>(), publicOnly: false)
            .As<IDecisionStep>()
            .WithSingletonLifetime());

        services.AddSingleton<DecisionPipeline>();
        services.AddSingleton(_ => new PolicyHolder(EmptyPolicy(), loaded: false));
        services.AddSingleton<IPolicyProvider>(sp => sp.GetRequiredService<PolicyHolder>());
        services.AddSingleton<GovernanceEngine>();
        return services;
    }

    /// <summary>The policy pack on disk: loaded and warmed at start.</summary>
    public static IServiceCollection AddPolicyDefinitions(this IServiceCollection services, GovernanceSettings settings)
    {
        services.AddSingleton(settings.Policy);
        services.AddSingleton(new Governance.Scripting.ScriptImageCache(settings.ScriptCachePath));
        services.AddSingleton<Governance.Scripting.RoslynScriptLoader>();
        services.AddSingleton<IScriptLoader>(sp => sp.GetRequiredService<Governance.Scripting.RoslynScriptLoader>());
        services.AddSingleton<PolicyLoader>();
        services.AddSingleton<PolicyReloader>();
        services.AddHostedService<PolicyStartup>();
        return services;
    }

    /// <summary>Hot reload: watch the pack and the configuration, rebuild and swap the snapshot on change.</summary>
    public static IServiceCollection AddPolicyWatcher(this IServiceCollection services)
    {
        services.AddSingleton<PolicyWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyWatcher>());
        return services;
    }

    /// <summary>The redactor of the audit and the log, keyed by redaction.key in the data directory.</summary>
    public static IServiceCollection AddSecretRedaction(this IServiceCollection services, GovernanceSettings settings)
    {
        services.AddSingleton(_ => StderrRedaction.ForSettings(settings));
        return services;
    }

    public static IServiceCollection AddLiteDbStore(this IServiceCollection services, GovernanceSettings settings)
    {
        services.AddSingleton(settings.LiteDb);
        services.AddSingleton<LiteDbDecisionStore>();
        // Everything that records goes through IDecisionStore, and so through redaction; only retention (deletes) sees the file itself.
        services.AddSingleton<IDecisionStore>(sp => new RedactingDecisionStore(sp.GetRequiredService<LiteDbDecisionStore>(), sp.GetRequiredService<SecretRedactor>()));
        services.AddHostedService<StoreShutdown>();
        services.AddHostedService<Storage.LiteDb.Retention.LiteDbRetentionService>();
        return services;
    }

    /// <summary>Until the pack loads nothing is served; this placeholder only exists so the holder is never null.</summary>
    private static PolicySnapshot EmptyPolicy() => new()
    {
        Revision = "unloaded",
        Personas = [],
        Rules = new NoRules(),
        Thresholds = new PolicyThresholds(),
        CoreOnly = true,
    };

    private sealed class NoRules : IRuleEvaluator
    {
        public IReadOnlyList<RuleDescriptor> Rules => [];

        public ValueTask<IReadOnlyList<RuleOutcome>> EvaluateAsync(Abstractions.Decisions.Operation operation, PersonaPanelSummary personas, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<RuleOutcome>>([]);
    }

    /// <summary>One line per entry on stderr, redacted at every level; needs <see cref="AddSecretRedaction"/>.</summary>
    public static ILoggingBuilder AddStderrLogging(this ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        logging.AddConsole(options => options.FormatterName = RedactingConsoleFormatter.FormatterName);
        logging.AddConsoleFormatter<RedactingConsoleFormatter, RedactingConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true; // the engine opens a CorrelationId scope: every line about a decision carries it
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.IncludeStackTraces = level <= LogLevel.Debug;
        });
        // stdout belongs to the MCP protocol (and to decide's JSON lines): every log line goes to stderr.
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return logging;
    }
}
