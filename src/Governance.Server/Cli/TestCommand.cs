using Governance.Core;
using Governance.Server.Configuration;
using Governance.Server.PolicyTesting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance test --corpus DIR</c>: runs a labelled corpus through the real pipeline and policy and prints accuracy
/// per category. Exit 0 when the targets are met (and, with --baseline, nothing regressed), 1 when not, 2 on bad input.
/// Decisions are recorded in a throwaway store, not in the user's history.
/// </summary>
internal static class TestCommand
{
    public static async Task<int> RunAsync(GovernanceSettings settings, string corpus, string? baseline, string? writeBaseline, bool verbose,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, bool onlyRegressions = false)
    {
        if (onlyRegressions && baseline is null)
        {
            await error.WriteLineAsync("governance: --fail-on regression compares against a baseline; add --baseline tests/corpus/baseline.json");
            return 2;
        }
        var (cases, problems) = CorpusLoader.Load(Path.GetFullPath(corpus), settings.Root, Path.GetDirectoryName(settings.LiteDb.Path));
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"governance: {problem}");
            }
            return 2;
        }

        var scratch = Directory.CreateTempSubdirectory("governance-test-");
        try
        {
            var isolated = settings with
            {
                LiteDb = settings.LiteDb with { Path = Path.Combine(scratch.FullName, "corpus.db") },
                LogLevel = settings.LogLevel < LogLevel.Warning ? LogLevel.Warning : settings.LogLevel,
            };
            var builder = GovernanceHost.CreateBuilder(isolated, "test");
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            // A corpus run measures the policy on disk: a file that failed to load would make the figures lie.
            var provider = host.Services.GetRequiredService<Abstractions.Policy.IPolicyProvider>();
            await provider.Loaded.WaitAsync(cancellationToken);
            var policy = provider.Current;
            if (policy.LoadErrors.Count > 0)
            {
                foreach (var loadError in policy.LoadErrors)
                {
                    await error.WriteLineAsync($"governance: policy file not loaded: {loadError}");
                }
                await host.StopAsync(CancellationToken.None);
                return 2;
            }
            var report = await CorpusRunner.RunAsync(host.Services.GetRequiredService<GovernanceEngine>(), cases, cancellationToken);
            await host.StopAsync(CancellationToken.None);

            await output.WriteAsync(report.ToTable(verbose ? int.MaxValue : 25));
            var failed = !report.MeetsTargets && !onlyRegressions;
            if (baseline is not null)
            {
                var regressions = CorpusBaseline.Read(baseline).Regressions(report);
                foreach (var regression in regressions)
                {
                    await output.WriteLineAsync("regression: " + regression);
                }
                await output.WriteLineAsync(regressions.Count == 0 ? $"no regression against {baseline}" : $"{regressions.Count} regression(s) against {baseline}");
                failed |= regressions.Count > 0;
            }
            if (writeBaseline is not null)
            {
                CorpusBaseline.From(report).Write(writeBaseline);
                await output.WriteLineAsync($"baseline written to {writeBaseline}");
            }
            return failed ? 1 : 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
