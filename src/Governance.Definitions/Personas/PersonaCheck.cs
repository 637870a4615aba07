using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;
using Governance.Core.Personas;

namespace Governance.Definitions.Personas;

/// <summary>One compiled check of a YAML persona: conditions that must all hold, and the answer when they do.</summary>
internal sealed class PersonaCheck
{
    public required string Id { get; init; }
    public required Verdict Verdict { get; init; }
    public required double Confidence { get; init; }
    public required Severity Severity { get; init; }
    public required string Guidance { get; init; }
    public string Rationale { get; init; } = "";
    public IReadOnlyList<string> Recommendations { get; init; } = [];
    public IReadOnlySet<string>? Kinds { get; init; }
    public PolicyPattern? Command { get; init; }
    public PolicyPattern? Path { get; init; }
    public PolicyPattern? Content { get; init; }
    public PolicyPattern? Url { get; init; }
    public Regex? NotCommand { get; init; }
    public Regex? NotPath { get; init; }
    public Regex? NotContent { get; init; }
    public Regex? NotUrl { get; init; }
    public IReadOnlyList<KeyValuePair<string, Regex>> Facts { get; init; } = [];
    public AnalysisCondition? Analysis { get; init; }

    public bool Matches(Operation operation) =>
        (Kinds is null || Kinds.Contains(operation.Kind)) &&
        Holds(Command, operation.Command) && Holds(Path, operation.FilePath) &&
        Holds(Content, operation.Content) && Holds(Url, operation.Url) &&
        Absent(NotCommand, operation.Command) && Absent(NotPath, operation.FilePath) &&
        Absent(NotContent, operation.Content) && Absent(NotUrl, operation.Url) &&
        FactsHold(operation.Facts) &&
        (Analysis is null || Analysis.Matches(operation.Analysis));

    private bool FactsHold(IReadOnlyDictionary<string, string> facts)
    {
        foreach (var (key, pattern) in Facts)
        {
            if (!facts.TryGetValue(key, out var value) || !pattern.IsMatch(value))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Holds(PolicyPattern? pattern, string value) => pattern is null || (value.Length > 0 && pattern.IsMatch(value));

    private static bool Absent(Regex? pattern, string value) => pattern is null || value.Length == 0 || !pattern.IsMatch(value);
}
