using System.Buffers;
using System.Text.RegularExpressions;

namespace Governance.Core.Redaction;

/// <summary>
/// One kind of secret: a linear-time pattern whose group <c>secret</c> (else the whole match) is what gets replaced, the substrings without
/// which the pattern cannot match (a cheap pre-check), and an optional test the matched value must pass.
/// </summary>
public sealed class RedactionRule
{
    public const string SecretGroup = "secret";

    public RedactionRule(string kind, Regex pattern, IReadOnlyList<string> triggers, Func<string, Group, bool>? accept = null)
    {
        if (!pattern.Options.HasFlag(RegexOptions.NonBacktracking))
        {
            throw new ArgumentException($"the {kind} pattern must be NonBacktracking", nameof(pattern));
        }
        // Without a group of that name the whole match is the secret (a token recognised by its prefix).
        SecretGroupNumber = Math.Max(0, pattern.GroupNumberFromName(SecretGroup));
        Kind = kind;
        Pattern = pattern;
        Triggers = triggers;
        TriggerValues = SearchValues.Create([.. triggers], StringComparison.OrdinalIgnoreCase);
        Accept = accept;
    }

    /// <summary>The name shown in the marker: <c>[REDACTED:kind:hash]</c>.</summary>
    public string Kind { get; }

    public Regex Pattern { get; }

    internal int SecretGroupNumber { get; }

    /// <summary>Case-insensitive substrings, one of which every match contains.</summary>
    public IReadOnlyList<string> Triggers { get; }

    internal SearchValues<string> TriggerValues { get; }

    /// <summary>Given the whole text and the secret group: false keeps the match as it is (a placeholder, a path, low entropy).</summary>
    public Func<string, Group, bool>? Accept { get; }
}
