using System.Text.RegularExpressions;

namespace Governance.Core.Personas;

/// <summary>How policy authors' regexes are compiled: once, at load, with a match timeout so none can hang a decision.</summary>
public static class PolicyRegex
{
    /// <summary>
    /// Long enough that a GC pause or a busy core never trips it on an honest pattern, short enough that a
    /// pathological one cannot hold a persona for long (the persona's own timeout still bounds it).
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Compiles the pattern, or returns null and the reason.</summary>
    public static Regex? TryCreate(string pattern, out string? error)
    {
        error = null;
        if (pattern.Length == 0)
        {
            error = "the pattern is empty";
            return null;
        }
        try
        {
            // Interpreted, not Compiled: a compiled regex pays tens of milliseconds of code generation on first use,
            // which made cold personas miss their timeouts and a pack of ~200 patterns take seconds to warm.
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            error = "invalid regex: " + ex.Message;
            return null;
        }
    }
}
