namespace Governance.Analysis.Commands;

/// <summary>Reads a shell variable reference ("$NAME" or "${NAME}") at a '$' in a word.</summary>
internal static class VariableReference
{
    /// <summary>The variable's name and the index just past the reference; false when '$' starts no name.</summary>
    public static bool TryRead(string text, int dollar, out string name, out int end)
    {
        var braced = dollar + 1 < text.Length && text[dollar + 1] == '{';
        var start = dollar + (braced ? 2 : 1);
        end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }
        name = text[start..end];
        if (braced)
        {
            // "${NAME:-default}" and other expansions: the reference runs to the closing brace.
            var close = text.IndexOf('}', start);
            end = close < 0 ? text.Length : close + 1;
            return name.Length > 0 && close == start + name.Length;
        }
        return name.Length > 0;
    }
}
