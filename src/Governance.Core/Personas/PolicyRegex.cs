using System.Text.RegularExpressions;

namespace Governance.Core.Personas;

/// <summary>
/// How policy authors' regexes are compiled: once, at load, with <see cref="RegexOptions.NonBacktracking"/>, so
/// matching is linear in the input and needs no match timeout. A verdict therefore never depends on how busy the
/// machine is. The price: no lookarounds, backreferences, atomic groups or conditionals; an author who needs an
/// exception writes it as a second pattern (<c>not_path</c>, <c>path_except</c> ...), see docs/authoring.md.
/// </summary>
public static class PolicyRegex
{
    public const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>Compiles the pattern, or returns null and the reason in an author's words.</summary>
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
            return new Regex(pattern, Options);
        }
        catch (NotSupportedException ex) when (ex.Message.Contains("automata", StringComparison.Ordinal))
        {
            error = $"'{Shown(pattern)}' is too large for the linear-time regex engine (its counted repetitions such as {{0,400}} or " +
                    "{5000} expand into too many states); use * or + for long gaps, or smaller bounds";
            return null;
        }
        catch (NotSupportedException)
        {
            error = $"'{Shown(pattern)}' uses a construct the linear-time regex engine does not run (a lookahead (?=, (?!, " +
                    "a lookbehind (?<=, (?<!, a backreference \\1 or \\k<name>, an atomic group (?>, or a conditional); " +
                    "match the exception with a second pattern instead (not_<key> for the whole value, <key>_except for each match)";
            return null;
        }
        catch (ArgumentException ex)
        {
            error = "invalid regex: " + ex.Message;
            return null;
        }
    }

    private static string Shown(string pattern) => pattern.Length <= 80 ? pattern : pattern[..77] + "...";
}
