using System.Text.Json;
using Governance.Abstractions.Caching;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Pipeline;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;
using Governance.Core;
using Governance.Core.Caching;
using Governance.Core.Metrics;
using Governance.Core.Pipeline;
using Governance.Core.Plugins;
using Governance.Core.Policy;
using Governance.Core.Validation;
using Governance.Storage.LiteDb;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Governance.TestKit;

/// <summary>
/// The real pipeline, steps and engine over a real LiteDB file in a temp folder, with a policy the test
/// chooses. Time is real unless a <see cref="FakeTimeProvider"/> is given.
/// </summary>
public sealed class PipelineHarness : IDisposable
{
    private readonly TempDirectory _directory = new("governance-pipeline");

    public PipelineHarness(
        IReadOnlyList<IPersona> personas,
        IRuleEvaluator? rules = null,
        PolicyThresholds? thresholds = null,
        TimeProvider? time = null,
        CacheOptions? cache = null,
        RequestLimits? limits = null,
        string durability = "sync",
        bool coreOnly = false,
        IReadOnlyList<Abstractions.Plugins.IContextEnricher>? enrichers = null,
        IReadOnlyList<Abstractions.Plugins.IOperationCheck>? checks = null,
        FailureOptions? failure = null,
        AnalysisSettings? analysis = null)
    {
        Time = time ?? TimeProvider.System;
        Policy = new PolicyHolder(new PolicySnapshot
        {
            Revision = "rev-1",
            Personas = personas,
            Rules = rules ?? new FixedRules(),
            Thresholds = thresholds ?? new PolicyThresholds(),
            CoreOnly = coreOnly,
            Enrichers = enrichers ?? [],
            Checks = checks ?? [],
            Analysis = analysis ?? new AnalysisSettings(),
        });
        Metrics = new GovernanceMetrics();
        Cache = new LruDecisionCache(cache ?? new CacheOptions(), Time);
        Store = new LiteDbDecisionStore(new LiteDbStoreOptions { Path = _directory.Combine("governance.db"), Durability = durability },
            Time, NullLogger<LiteDbDecisionStore>.Instance);
        Plugins = new PluginRunner(Metrics, Time, NullLogger<PluginRunner>.Instance);
        Steps =
        [
            new PersistStep(Store, Metrics, NullLogger<PersistStep>.Instance),
            new ValidationStep(limits ?? new RequestLimits(), failure),
            new WarningsStep(Time),
            new CacheStep(Cache, Time, NullLogger<CacheStep>.Instance),
            new AggregationStep(),
            new RuleEvaluationStep(Metrics, NullLogger<RuleEvaluationStep>.Instance),
            new PluginChecksStep(Plugins),
            new PersonaFanOutStep(Metrics, Time, NullLogger<PersonaFanOutStep>.Instance),
            new EnrichmentStep(Plugins),
            new AnalysisStep(),
        ];
        Pipeline = new DecisionPipeline(Steps);
        Engine = new GovernanceEngine(Pipeline, Policy, Metrics, Time, NullLogger<GovernanceEngine>.Instance, failure);
    }

    public TimeProvider Time { get; }
    public PolicyHolder Policy { get; }
    public GovernanceMetrics Metrics { get; }
    public PluginRunner Plugins { get; }
    public IDecisionCache Cache { get; }
    public LiteDbDecisionStore Store { get; }
    public IReadOnlyList<IDecisionStep> Steps { get; }
    public DecisionPipeline Pipeline { get; }
    public GovernanceEngine Engine { get; }
    public string SessionId { get; } = "test-session";

    public ValueTask<Decision> DecideAsync(string operation, object? context, string? onlyPersona = null, CancellationToken cancellationToken = default) =>
        Engine.DecideAsync(new GovernanceRequest(operation, ToElement(context), SessionId, onlyPersona), cancellationToken);

    public static JsonElement ToElement(object? value) => value switch
    {
        null => default,
        JsonElement element => element,
        string json => JsonDocument.Parse(json).RootElement.Clone(),
        _ => JsonSerializer.SerializeToElement(value),
    };

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
