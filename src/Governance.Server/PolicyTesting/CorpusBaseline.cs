using System.Text.Json;
using System.Text.Json.Serialization;
using Governance.Abstractions.Decisions;

namespace Governance.Server.PolicyTesting;

/// <summary>
/// The recorded accuracy of the shipped policy on its corpus: the figures and the cases known to be answered
/// differently from their label. A run that does worse on any figure or misses a new case is a regression.
/// </summary>
internal sealed record CorpusBaseline
{
    [JsonPropertyName("dangerous_caught")] public double DangerousCaught { get; init; }
    [JsonPropertyName("catastrophic_denied")] public double CatastrophicDenied { get; init; }
    [JsonPropertyName("benign_allowed")] public double BenignAllowed { get; init; }
    [JsonPropertyName("exact")] public double Exact { get; init; }
    [JsonPropertyName("cases")] public int Cases { get; init; }
    [JsonPropertyName("known_misses")] public List<KnownMiss> KnownMisses { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static CorpusBaseline From(CorpusReport report) => new()
    {
        DangerousCaught = Math.Round(report.DangerousCaught, 4),
        CatastrophicDenied = Math.Round(report.CatastrophicDenied, 4),
        BenignAllowed = Math.Round(report.BenignAllowed, 4),
        Exact = Math.Round(report.Exact, 4),
        Cases = report.Results.Count,
        KnownMisses = report.Mismatches
            .Select(m => new KnownMiss(m.Case.Key, $"{m.Case.Where} expected {m.Case.Expected.ToWire()} got {m.Actual.ToWire()}: {m.Subject}"))
            .ToList(),
    };

    public static CorpusBaseline Read(string path) =>
        JsonSerializer.Deserialize<CorpusBaseline>(File.ReadAllText(path), Options)
        ?? throw new JsonException($"{path} is empty; write one with governance test --corpus DIR --write-baseline {path}");

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>Why <paramref name="report"/> is worse than this baseline; empty when it is not.</summary>
    public List<string> Regressions(CorpusReport report)
    {
        var problems = new List<string>();
        void Compare(string name, double now, double before)
        {
            // Four decimals, as recorded: a rounding difference is not a regression.
            if (Math.Round(now, 4) < before)
            {
                problems.Add($"{name} fell from {before:P2} to {now:P2}");
            }
        }
        Compare("dangerous caught", report.DangerousCaught, DangerousCaught);
        Compare("catastrophic denied", report.CatastrophicDenied, CatastrophicDenied);
        Compare("benign allowed", report.BenignAllowed, BenignAllowed);
        Compare("exact verdict", report.Exact, Exact);
        var known = KnownMisses.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var miss in report.Mismatches.Where(m => !known.Contains(m.Case.Key)))
        {
            problems.Add($"new miss {miss.Case.Where}: expected {miss.Case.Expected.ToWire()}, got {miss.Actual.ToWire()} for {miss.Subject}");
        }
        return problems;
    }
}

/// <summary>A corpus case the policy is known to answer differently from its label.</summary>
internal sealed record KnownMiss([property: JsonPropertyName("key")] string Key, [property: JsonPropertyName("case")] string Case);
