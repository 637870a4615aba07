using System.Text;

namespace Governance.Analysis.Evaluation;

/// <summary>
/// The standard output of commands whose output follows from their arguments and input alone: literal producers (echo,
/// printf, cat of stdin), the decoders agents use to hide a payload (base64 -d, xxd -r -p, rev, tr such as rot13), and
/// the lookups that name a program (which, command -v, type -P) or a temporary directory (mktemp). Null when unknown.
/// </summary>
internal static class StreamOutput
{
    public const int MaxLength = 64 * 1024;

    public static string? Of(IReadOnlyList<ShellWord> argv, string? stdin, ShellState state)
    {
        if (argv.Count == 0 || argv.Any(a => !a.Known))
        {
            return null;
        }
        var name = argv[0].Text[(argv[0].Text.LastIndexOf('/') + 1)..];
        var args = argv.Skip(1).Select(a => a.Text).ToList();
        var output = name switch
        {
            "echo" => Echo(args),
            "printf" when args.Count > 0 => Printf(args),
            "cat" when args.Count == 0 || args is ["-"] => stdin,
            "tee" => stdin,
            "base64" or "basenc" when args.Any(a => a is "-d" or "-D" or "--decode" or "--base64") && args.All(a => a.StartsWith('-')) => FromBase64(stdin),
            "xxd" when args.Any(a => a.StartsWith("-r", StringComparison.Ordinal)) && args.Any(a => a is "-p" or "-ps" or "-plain" or "-rp" or "-r" && args.Count > 1) => FromHex(stdin),
            "rev" when args.Count == 0 => stdin is null ? null : string.Join('\n', stdin.TrimEnd('\n').Split('\n').Select(l => new string(l.Reverse().ToArray()))) + "\n",
            "tr" when args.Count == 2 && !args[0].StartsWith('-') => Translate(stdin, args[0], args[1]),
            "which" when args.Count == 1 => $"/usr/bin/{args[0]}\n",
            "command" or "type" when args.Count == 2 && args[0] is "-v" or "-p" or "-P" => $"/usr/bin/{args[1]}\n",
            "mktemp" => args.Contains("-d") || args.Contains("--directory") ? "/tmp/tmp.governance\n" : "/tmp/tmp.governance-file\n",
            "pwd" when state.WorkingDirectoryKnown && state.WorkingDirectory is { } cwd => cwd + "\n",
            // T=$(dirname "$PWD"); rm -rf "$T": path arithmetic on known paths is known.
            "dirname" when args is [var path] && !path.StartsWith('-') => DirectoryOf(path) + "\n",
            "basename" when args is [var path, ..] && !path.StartsWith('-') && args.Count <= 2 => BaseOf(path, args.Count == 2 ? args[1] : "") + "\n",
            _ => null,
        };
        return output is { Length: > MaxLength } ? null : output;
    }

    private static string DirectoryOf(string path)
    {
        if (path is "." or "./")
        {
            return ".."; // the folder the command runs in: its parent
        }
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : trimmed[..slash];
    }

    private static string BaseOf(string path, string suffix)
    {
        var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        var name = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return suffix.Length > 0 && name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
    }

    private static string Echo(List<string> args)
    {
        var escapes = false;
        var newline = true;
        var i = 0;
        while (i < args.Count && args[i].Length > 1 && args[i][0] == '-' && args[i][1..].All(c => c is 'n' or 'e' or 'E'))
        {
            newline &= !args[i].Contains('n', StringComparison.Ordinal);
            escapes |= args[i].Contains('e', StringComparison.Ordinal);
            i++;
        }
        var text = string.Join(' ', args.Skip(i));
        return (escapes ? DecodeEscapes(text) : text) + (newline ? "\n" : "");
    }

    private static string Printf(List<string> args)
    {
        var format = DecodeEscapes(args[0]);
        var values = new Queue<string>(args.Skip(1));
        var result = new StringBuilder();
        do
        {
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%' || i + 1 >= format.Length)
                {
                    result.Append(format[i]);
                    continue;
                }
                var spec = format[++i];
                if (spec == '%')
                {
                    result.Append('%');
                    continue;
                }
                var value = values.Count > 0 ? values.Dequeue() : "";
                result.Append(spec == 'b' ? DecodeEscapes(value) : value);
            }
        }
        while (values.Count > 0 && format.Contains('%', StringComparison.Ordinal));
        return result.ToString();
    }

    /// <summary>Backslash escapes as echo -e, printf and $'…' read them: \n \t \\ \xHH \0NNN \NNN \uHHHH.</summary>
    public static string DecodeEscapes(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var e = text[++i];
            switch (e)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case '\\': result.Append('\\'); break;
                case 'a': result.Append('\a'); break;
                case 'e': result.Append('\u001b'); break;
                case 'x':
                    result.Append((char)Number(text, ref i, 16, 2));
                    break;
                case 'u':
                    result.Append((char)Number(text, ref i, 16, 4));
                    break;
                case >= '0' and <= '7':
                    if (e != '0')
                    {
                        i--;
                    }
                    result.Append((char)Number(text, ref i, 8, 3));
                    break;
                default:
                    result.Append('\\').Append(e);
                    break;
            }
        }
        return result.ToString();
    }

    private static int Number(string text, ref int i, int radix, int maxDigits)
    {
        var value = 0;
        for (var digits = 0; digits < maxDigits && i + 1 < text.Length; digits++)
        {
            var digit = Uri.IsHexDigit(text[i + 1]) ? Convert.ToInt32(text[i + 1].ToString(), 16) : -1;
            if (digit < 0 || digit >= radix)
            {
                break;
            }
            value = (value * radix) + digit;
            i++;
        }
        return value;
    }

    private static string? FromBase64(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray());
        compact += new string('=', (4 - (compact.Length % 4)) % 4);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(compact));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? FromHex(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var compact = new string(text.Where(Uri.IsHexDigit).ToArray());
        if (compact.Length % 2 != 0)
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromHexString(compact));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? Translate(string? text, string from, string to)
    {
        if (text is null)
        {
            return null;
        }
        var source = Set(from);
        var target = Set(to);
        if (source.Length == 0 || target.Length == 0)
        {
            return null;
        }
        var map = new Dictionary<char, char>();
        for (var i = 0; i < source.Length; i++)
        {
            map.TryAdd(source[i], target[Math.Min(i, target.Length - 1)]);
        }
        return new string(text.Select(c => map.TryGetValue(c, out var mapped) ? mapped : c).ToArray());
    }

    private static string Set(string spec)
    {
        var result = new StringBuilder();
        for (var i = 0; i < spec.Length; i++)
        {
            if (i + 2 < spec.Length && spec[i + 1] == '-' && spec[i] <= spec[i + 2])
            {
                for (var c = spec[i]; c <= spec[i + 2] && result.Length < 4096; c++)
                {
                    result.Append(c);
                }
                i += 2;
            }
            else
            {
                result.Append(spec[i]);
            }
        }
        return result.ToString();
    }
}
