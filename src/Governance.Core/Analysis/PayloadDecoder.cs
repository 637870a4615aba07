using System.Buffers.Text;
using System.Text;

namespace Governance.Core.Analysis;

/// <summary>Evaluates literal producer pipelines (echo/printf | base64 -d | xxd -r -p ...) so encoded payloads can be analysed.</summary>
internal static class PayloadDecoder
{
    private const int MaxOutput = 64 * 1024;

    /// <summary>Output of segments [0, count) when it is statically known; Encoded says whether a decoding step was involved.</summary>
    public static (string? Text, bool Encoded) Evaluate(IReadOnlyList<PipelineSegment> pipeline, int count)
    {
        string? data = null;
        var encoded = false;
        for (var s = 0; s < count; s++)
        {
            var segment = pipeline[s];
            var words = new List<string>();
            var literal = true;
            var i = 0;
            while (i < segment.Words.Count && AnalysisSession.IsAssignmentWord(segment.Words[i]))
            {
                i++;
            }

            for (; i < segment.Words.Count; i++)
            {
                literal &= !segment.Words[i].HasExpansion;
                words.Add(segment.Words[i].Text);
            }

            var input = segment.StdinText() ?? (s == 0 ? null : data);
            if (words.Count == 0)
            {
                data = null;
                continue;
            }

            var name = AnalysisSession.Basename(words[0]);
            var args = words.GetRange(1, words.Count - 1);
            switch (name)
            {
                case "echo":
                    data = literal ? Echo(args, ref encoded) : null;
                    break;
                case "printf":
                    data = literal && args.Count > 0 ? Printf(args, ref encoded) : null;
                    break;
                case "cat" when args.Count == 0:
                case "tee":
                    data = input;
                    break;
                case "base64" when HasFlag(args, 'd', "--decode") || HasFlag(args, 'D', "--decode"):
                    encoded = true;
                    data = input is null || args.Exists(a => !a.StartsWith('-')) ? null : FromBase64(input);
                    break;
                case "xxd" when HasFlag(args, 'r', "--revert"):
                    encoded = true;
                    data = input is not null && (HasFlag(args, 'p', "-plain") || args.Contains("-ps")) ? FromHex(input) : null;
                    break;
                case "rev":
                    encoded = true;
                    data = input is null ? null : Reverse(input);
                    break;
                case "base32" or "basenc" or "uudecode" or "openssl" or "gunzip" or "zcat" or "gzip" or "bunzip2" or "xz" or "unxz" or "tr" or "sed" or "awk":
                    encoded = true;
                    data = null;
                    break;
                default:
                    data = null;
                    break;
            }

            if (data is { Length: > MaxOutput })
            {
                data = null;
            }
        }

        return (data, encoded);
    }

    private static bool HasFlag(List<string> args, char letter, string longForm)
    {
        foreach (var a in args)
        {
            if (a == longForm || (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.Contains(letter)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Echo(List<string> args, ref bool encoded)
    {
        var escapes = false;
        var k = 0;
        while (k < args.Count && args[k].Length > 1 && args[k][0] == '-' && args[k].AsSpan(1).IndexOfAnyExcept("neE") < 0)
        {
            escapes |= args[k].Contains('e');
            k++;
        }

        var text = string.Join(' ', args.Skip(k)) + "\n";
        if (!escapes)
        {
            return text;
        }

        var decoded = DecodeEscapes(text, octalNeedsZero: true, out var hadEncoding);
        encoded |= hadEncoding;
        return decoded;
    }

    private static string Printf(List<string> args, ref bool encoded)
    {
        var format = args[0];
        var next = 1;
        var sb = new StringBuilder();
        var p = 0;
        while (p < format.Length)
        {
            var c = format[p];
            if (c == '%' && p + 1 < format.Length)
            {
                var q = p + 1;
                while (q < format.Length && (char.IsAsciiDigit(format[q]) || format[q] is '-' or '.' or '#' or ' ' or '+'))
                {
                    q++;
                }

                var conversion = q < format.Length ? format[q] : '%';
                var arg = next < args.Count ? args[next] : "";
                switch (conversion)
                {
                    case '%':
                        sb.Append('%');
                        break;
                    case 'b':
                        sb.Append(DecodeEscapes(arg, octalNeedsZero: true, out var had));
                        encoded |= had;
                        next++;
                        break;
                    default:
                        sb.Append(arg);
                        next++;
                        break;
                }

                p = q + 1;
                continue;
            }

            var end = format.IndexOf('%', p + 1);
            if (end < 0)
            {
                end = format.Length;
            }

            sb.Append(DecodeEscapes(format[p..end], octalNeedsZero: false, out var hadEncoding));
            encoded |= hadEncoding;
            p = end;
        }

        return sb.ToString();
    }

    /// <summary>Decodes C-style escapes (\n, \xHH, \NNN, \uHHHH) as printf, echo -e and $'...' do; bytes are read as UTF-8.</summary>
    public static string DecodeEscapes(string text, bool octalNeedsZero, out bool hadEncoding)
    {
        hadEncoding = false;
        if (!text.Contains('\\'))
        {
            return text;
        }

        var bytes = new List<byte>(text.Length);
        var run = new StringBuilder();
        void Flush()
        {
            if (run.Length > 0)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(run.ToString()));
                run.Clear();
            }
        }

        for (var p = 0; p < text.Length; p++)
        {
            var c = text[p];
            if (c != '\\' || p + 1 >= text.Length)
            {
                run.Append(c);
                continue;
            }

            var e = text[++p];
            switch (e)
            {
                case 'n': run.Append('\n'); break;
                case 't': run.Append('\t'); break;
                case 'r': run.Append('\r'); break;
                case 'a': run.Append('\a'); break;
                case 'b': run.Append('\b'); break;
                case 'f': run.Append('\f'); break;
                case 'v': run.Append('\v'); break;
                case 'e' or 'E': run.Append('\u001b'); break;
                case '\\' or '\'' or '"' or '?': run.Append(e); break;
                case 'x':
                    {
                        var value = 0;
                        var digits = 0;
                        while (digits < 2 && p + 1 < text.Length && char.IsAsciiHexDigit(text[p + 1]))
                        {
                            value = (value * 16) + Convert.ToInt32(text[++p].ToString(), 16);
                            digits++;
                        }

                        if (digits == 0)
                        {
                            run.Append("\\x");
                            break;
                        }

                        hadEncoding = true;
                        Flush();
                        bytes.Add((byte)value);
                        break;
                    }

                case 'u' or 'U':
                    {
                        var max = e == 'u' ? 4 : 8;
                        var value = 0;
                        var digits = 0;
                        while (digits < max && p + 1 < text.Length && char.IsAsciiHexDigit(text[p + 1]))
                        {
                            value = (value * 16) + Convert.ToInt32(text[++p].ToString(), 16);
                            digits++;
                        }

                        hadEncoding = true;
                        run.Append(value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(value) : "\uFFFD");
                        break;
                    }

                case >= '0' and <= '7':
                    {
                        if (octalNeedsZero && e != '0')
                        {
                            run.Append('\\').Append(e);
                            break;
                        }

                        var value = e - '0';
                        var digits = octalNeedsZero ? 0 : 1;
                        while (digits < 3 && p + 1 < text.Length && text[p + 1] is >= '0' and <= '7')
                        {
                            value = (value * 8) + (text[++p] - '0');
                            digits++;
                        }

                        hadEncoding = true;
                        Flush();
                        bytes.Add((byte)(value & 0xFF));
                        break;
                    }

                default:
                    run.Append('\\').Append(e);
                    break;
            }
        }

        Flush();
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string? FromBase64(string input)
    {
        var compact = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }

        while (compact.Length % 4 != 0)
        {
            compact.Append('=');
        }

        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(compact.Length)];
        return Convert.TryFromBase64String(compact.ToString(), buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written)
            : null;
    }

    private static string? FromHex(string input)
    {
        var bytes = new List<byte>(input.Length / 2);
        var high = -1;
        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }

            var v = Convert.ToInt32(c.ToString(), 16);
            if (high < 0)
            {
                high = v;
            }
            else
            {
                bytes.Add((byte)((high * 16) + v));
                high = -1;
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string Reverse(string input)
    {
        // rev reverses each line, keeping line order.
        var lines = input.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var chars = lines[i].ToCharArray();
            Array.Reverse(chars);
            lines[i] = new string(chars);
        }

        return string.Join('\n', lines);
    }
}
