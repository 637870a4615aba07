using System.Text.RegularExpressions;

namespace Governance.Core.Personas;

/// <summary>
/// A policy pattern with an optional exception checked against each match: the pattern holds when some match is
/// not itself matched by <see cref="Except"/>. This is what a negative lookahead said, written as two linear-time
/// patterns: <c>executes: 'http://[^\s/]*'</c> with <c>executes_except: '^http://localhost'</c> fires on any
/// plain-HTTP URL in a command other than localhost, even when a localhost URL comes first.
/// </summary>
public sealed class PolicyPattern(Regex match, Regex? except)
{
    /// <summary>
    /// How many excepted matches are looked past before the pattern is taken to hold. An exception is a carve-out, not
    /// a way to bury a match: text that needs more than this many carve-outs is reviewed as if it matched. The bound
    /// also keeps the scan linear in the text (each search is linear; at most this many restarts).
    /// </summary>
    public const int MaxExcepted = 256;

    public Regex Match { get; } = match;
    public Regex? Except { get; } = except;

    public bool IsMatch(string text)
    {
        if (Except is null)
        {
            return Match.IsMatch(text);
        }
        // After an excepted match the search resumes one character later, not after it, so a real match that overlaps
        // an excepted one (a list whose first address is on example.com) is still found.
        var at = 0;
        for (var excepted = 0; excepted < MaxExcepted && at <= text.Length; excepted++)
        {
            var found = Match.Match(text, at);
            if (!found.Success)
            {
                return false;
            }
            if (!Except.IsMatch(found.ValueSpan))
            {
                return true;
            }
            at = found.Index + 1;
        }
        return at <= text.Length;
    }
}
