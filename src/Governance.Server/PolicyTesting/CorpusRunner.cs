using Governance.Abstractions.Decisions;
using Governance.Core;

namespace Governance.Server.PolicyTesting;

/// <summary>Runs corpus cases through the real pipeline, one decision each, and collects the answers.</summary>
internal static class CorpusRunner
{
    public static async Task<CorpusReport> RunAsync(GovernanceEngine engine, IReadOnlyList<CorpusCase> cases, CancellationToken cancellationToken)
    {
        var results = new List<CorpusResult>(cases.Count);
        foreach (var item in cases)
        {
            var decision = await engine.DecideAsync(new GovernanceRequest(item.Operation, item.Context, "corpus"), cancellationToken);
            // A request the pipeline rejects is not an allow: it counts as ask, and the reason says why.
            var actual = decision.Error is null ? decision.Verdict : Verdict.Ask;
            var reason = decision.Error?.Error ?? Reason(decision);
            results.Add(new CorpusResult(item, actual, SubjectOf(item), reason));
        }
        return new CorpusReport(results);
    }

    private static string Reason(Decision decision)
    {
        var voices = decision.PersonaGuidance
            .Where(p => p.Value.Verdict is not null and not "allow")
            .Select(p => $"{p.Key}: {p.Value.Verdict} {p.Value.Guidance}")
            .Concat(decision.RulesFired.Select(r => "rule " + r));
        var text = string.Join(" | ", voices);
        return text.Length > 0 ? text : decision.Summary;
    }

    private static string SubjectOf(CorpusCase item)
    {
        foreach (var name in (ReadOnlySpan<string>)["command", "file_path", "url"])
        {
            var value = Core.Validation.OperationNormalizer.Text(item.Context, name);
            if (value.Length == 0 && item.Context.TryGetProperty("tool_input", out var input))
            {
                value = Core.Validation.OperationNormalizer.Text(input, name);
            }
            if (value.Length > 0)
            {
                return item.Operation + " " + value;
            }
        }
        return item.Operation;
    }
}
