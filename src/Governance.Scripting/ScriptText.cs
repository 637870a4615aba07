using System.Text.RegularExpressions;

namespace Governance.Scripting;

/// <summary>
/// Text helpers for scripts: line diffs of an edit and regex counting in linear time (NonBacktracking, so a script's
/// verdict does not depend on machine load; the static Regex methods cache the parsed pattern).
/// </summary>
public static class ScriptText
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    public static IReadOnlyList<string> Lines(string text) =>
        text.Length == 0 ? [] : text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>Lines of <paramref name="after"/> not in <paramref name="before"/> (as a multiset).</summary>
    public static IReadOnlyList<string> AddedLines(string before, string after) => Difference(Lines(after), Lines(before));

    /// <summary>Lines of <paramref name="before"/> not in <paramref name="after"/> (as a multiset).</summary>
    public static IReadOnlyList<string> RemovedLines(string before, string after) => Difference(Lines(before), Lines(after));

    public static int Count(string text, string pattern) =>
        text.Length == 0 ? 0 : Regex.Count(text, pattern, Options);

    public static bool Has(string text, string pattern) =>
        text.Length > 0 && Regex.IsMatch(text, pattern, Options);

    private static List<string> Difference(IReadOnlyList<string> from, IReadOnlyList<string> without)
    {
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in without)
        {
            remaining[line] = remaining.GetValueOrDefault(line) + 1;
        }
        var result = new List<string>();
        foreach (var line in from)
        {
            if (remaining.TryGetValue(line, out var count) && count > 0)
            {
                remaining[line] = count - 1;
            }
            else
            {
                result.Add(line);
            }
        }
        return result;
    }
}
