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
}
