using System.Globalization;

namespace Governance.Analysis.Evaluation;

/// <summary>
/// Command names an agent disguises: letters from other scripts that look like Latin ones (<c>ｒｍ</c>, <c>гm</c>) and
/// invisible characters (zero-width spaces and joiners, format characters, combining marks). Such a name is not what
/// a reader sees, so it is never matched against the pack's names: the command is opaque.
/// </summary>
public static class DisguisedName
{
    public static bool IsDisguised(string name)
    {
        foreach (var c in name)
        {
            if (c <= '\u007f')
            {
                continue;
            }
            if (char.IsLetter(c) || c is '\u200b' or '\u200c' or '\u200d' or '\u2060' or '\ufeff' or '\u00ad'
                || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                return true;
            }
        }
        return false;
    }

    // Letters of other scripts that a reader takes for Latin ones (Unicode's confusables, the ones agents use).
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a',
        ['в'] = 'b',
        ['е'] = 'e',
        ['ё'] = 'e',
        ['г'] = 'r',
        ['һ'] = 'h',
        ['і'] = 'i',
        ['ј'] = 'j',
        ['к'] = 'k',
        ['ӏ'] = 'l',
        ['м'] = 'm',
        ['н'] = 'h',
        ['о'] = 'o',
        ['р'] = 'p',
        ['с'] = 'c',
        ['ѕ'] = 's',
        ['т'] = 't',
        ['у'] = 'y',
        ['х'] = 'x',
        ['ԁ'] = 'd',
        ['ɡ'] = 'g',
        ['ԛ'] = 'q',
        ['ԝ'] = 'w',
        ['А'] = 'A',
        ['В'] = 'B',
        ['Е'] = 'E',
        ['К'] = 'K',
        ['М'] = 'M',
        ['Н'] = 'H',
        ['О'] = 'O',
        ['Р'] = 'P',
        ['С'] = 'C',
        ['Т'] = 'T',
        ['Х'] = 'X',
        ['Ѕ'] = 'S',
        ['І'] = 'I',
        ['α'] = 'a',
        ['ε'] = 'e',
        ['ι'] = 'i',
        ['κ'] = 'k',
        ['ν'] = 'v',
        ['ο'] = 'o',
        ['ρ'] = 'p',
        ['τ'] = 't',
        ['υ'] = 'u',
        ['χ'] = 'x',
        ['Α'] = 'A',
        ['Β'] = 'B',
        ['Ε'] = 'E',
        ['Ι'] = 'I',
        ['Κ'] = 'K',
        ['Μ'] = 'M',
        ['Ν'] = 'N',
        ['Ο'] = 'O',
        ['Ρ'] = 'P',
        ['Τ'] = 'T',
        ['Χ'] = 'X',
    };

    /// <summary>
    /// What a reader sees in a line with disguised letters: look-alikes mapped to the Latin letters they imitate,
    /// full-width forms to ASCII, invisible characters removed; null when the line has none. The analysis judges
    /// this too, so a disguised <c>ѕudo rm -rf /</c> is judged as what it was meant to look like.
    /// </summary>
    public static string? Skeleton(string line)
    {
        System.Text.StringBuilder? seen = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c <= '\u007f')
            {
                seen?.Append(c);
                continue;
            }
            char? shown = LookAlikes.TryGetValue(c, out var latin) ? latin
                : c is >= '\uff01' and <= '\uff5e' ? (char)(c - 0xfee0)
                : c is '\u200b' or '\u200c' or '\u200d' or '\u2060' or '\ufeff' or '\u00ad' || char.GetUnicodeCategory(c) is UnicodeCategory.Format ? null
                : c;
            if (shown == c && seen is null)
            {
                continue;
            }
            seen ??= new System.Text.StringBuilder(line.Length).Append(line, 0, i);
            if (shown is { } kept)
            {
                seen.Append(kept);
            }
        }
        return seen?.ToString();
    }
}
