using System.Text;

namespace Governance.Analysis.Shell;

/// <summary>A shell word: the parts that are joined, without blanks between them, into one argument before field splitting.</summary>
public sealed record Word(IReadOnlyList<WordPart> Parts) : ShellNode
{
    /// <summary>The word's text after quote removal when it holds no expansion; null when its value is only known at run time.</summary>
    public string? StaticValue
    {
        get
        {
            if (Parts.Count == 1)
            {
                switch (Parts[0])
                {
                    case LiteralPart literal:
                        return literal.Text;
                    case SingleQuotedPart quoted:
                        return quoted.Text;
                }
            }
            var text = new StringBuilder();
            return Append(Parts, text) ? text.ToString() : null;
        }
    }

    /// <summary>True when any part was quoted or escaped (a quoted here-document delimiter, a word that is not globbed).</summary>
    public bool IsQuoted => Parts.Any(p => p is SingleQuotedPart or DoubleQuotedPart || p is LiteralPart { Quoted: true });

    private static bool Append(IReadOnlyList<WordPart> parts, StringBuilder text)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    text.Append(literal.Text);
                    break;
                case SingleQuotedPart quoted:
                    text.Append(quoted.Text);
                    break;
                case DoubleQuotedPart quoted when Append(quoted.Parts, text):
                    break;
                default:
                    return false;
            }
        }
        return true;
    }
}
