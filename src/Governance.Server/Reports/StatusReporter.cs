using Governance.Abstractions.Caching;
using Governance.Abstractions.Policy;
using Governance.Core.Metrics;
using Governance.Core.Pipeline;
using Governance.Definitions.Loading;
using Governance.Server.Configuration;
using Governance.Server.Hosting;

namespace Governance.Server.Reports;

/// <summary>What governance_config and the metrics resource show: built from the current snapshot on each read.</summary>
internal sealed class StatusReporter(
    IPolicyProvider policy,
    GovernanceSettings settings,
    GovernanceMetrics metrics,
    IDecisionCache cache,
    ConnectionSession session,
    PolicyReloader reloader)
{
    public object Config()
    {
        var snapshot = policy.Current;
        return new
        {
            server = new { name = settings.ServerName, environment = settings.Environment, version = typeof(StatusReporter).Assembly.GetName().Version?.ToString(3) },
            config_file = settings.ConfigPath,
            root = settings.Root,
            policy_revision = snapshot.Revision,
            loaded_at = snapshot.LoadedAt,
            core_only = snapshot.CoreOnly,
            load_errors = snapshot.LoadErrors.Select(Error),
            reload = Reload(),
            files = snapshot.Files,
            // What no agent may change (write, delete, move, link, chmod): the built-in safety net denies it.
            guard_files = settings.Policy.Analysis.GuardPaths,
            personas = snapshot.Personas.Select(p => new
            {
                id = p.Descriptor.Id,
                name = p.Descriptor.Name,
                expertise = p.Descriptor.Expertise,
                description = p.Descriptor.Description,
                weight = p.Descriptor.Weight,
                timeout_ms = (p.Descriptor.Timeout ?? snapshot.Thresholds.PersonaTimeout).TotalMilliseconds,
                source = p.Descriptor.Source,
                origin = p.Descriptor.Origin,
                triggers = p.Descriptor.TriggerKinds,
            }),
            plugins = snapshot.Enrichers.Select(e => e.Descriptor).Concat(snapshot.Checks.Select(c => c.Descriptor)).DistinctBy(d => d.Id)
                .Select(d => new { id = d.Id, name = d.Name, description = d.Description, kind = d.Kind, origin = d.Origin }),
            rules = snapshot.Rules.Rules.Select(r => new
            {
                workflow = r.Workflow,
                rule = r.Rule,
                effect = r.Effect,
                severity = r.Severity,
                origin = r.Origin,
                enabled = r.Enabled,
            }),
            thresholds = new
            {
                mode = snapshot.Thresholds.Mode,
                compliance_level = snapshot.Thresholds.ComplianceLevel,
                deny_threshold = snapshot.Thresholds.DenyConfidence,
                ask_threshold = snapshot.Thresholds.AskConfidence,
                persona_timeout_ms = snapshot.Thresholds.PersonaTimeout.TotalMilliseconds,
            },
            limits = new
            {
                max_operation_length = settings.Limits.MaxOperationLength,
                max_context_bytes = settings.Limits.MaxContextBytes,
                max_context_depth = settings.Limits.MaxContextDepth,
            },
            cache = new { type = settings.Cache.Type, ttl = settings.Cache.Ttl.TotalSeconds, max_size = settings.Cache.MaxSize, entries = cache.Count },
            database = new { type = settings.DatabaseType, path = settings.LiteDb.Path, durability = settings.LiteDb.Durability, connection = "shared" },
            hooks = new
            {
                fail_closed = settings.Hooks.FailClosed,
                registry = Path.Combine(settings.DataDirectory, Hooks.ServerRegistry.FileName),
                script_cache = settings.ScriptCachePath,
            },
            pipeline = DecisionPipeline.Order,
            metrics = Metrics(),
        };
    }

    public object Metrics() => new
    {
        overall = metrics.Global,
        session = new { id = session.Id, metrics = metrics.ForSession(session.Id) },
        persona_failures = metrics.PersonaFailures,
        persona_timeouts = metrics.PersonaTimeouts,
        rule_failures = metrics.RuleFailures,
        persist_failures = metrics.PersistFailures,
        plugin_failures = metrics.PluginFailures,
        policy_reloads = reloader.Status.Reloads,
        policy_reload_failures = reloader.Status.FailedReloads,
    };

    private object Reload()
    {
        var status = reloader.Status;
        return new
        {
            active_revision = status.ActiveRevision,
            last_attempt_at = status.LastAttemptAt,
            last_success_at = status.LastSuccessAt,
            reloads = status.Reloads,
            failed_reloads = status.FailedReloads,
            last_reload_errors = status.LastReloadErrors.Select(Error),
        };
    }

    private static object Error(Abstractions.Policy.PolicyLoadError e) => new { file = e.File, line = e.Line, column = e.Column, message = e.Message };
}
