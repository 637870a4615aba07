namespace Governance.Analysis.Commands;

/// <summary>Commands that run another command given as their remaining arguments, and how to skip their own options.</summary>
internal static class CommandWrappers
{
    private static readonly string[] SudoLong = ["--user", "--group", "--prompt", "--chdir", "--close-from", "--role", "--type", "--other-user", "--host", "--command-timeout"];
    private static readonly string[] TimeoutLong = ["--signal", "--kill-after"];
    private static readonly string[] TimeLong = ["--format", "--output"];
    private static readonly string[] StdbufLong = ["--input", "--output", "--error"];
    private static readonly string[] IoniceLong = ["--class", "--classdata"];
    private static readonly string[] XargsLong = ["--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"];
    private static readonly string[] NiceLong = ["--adjustment"];

    /// <summary>Index in <paramref name="argv"/> of the wrapped command, or -1 when argv[p] is not a wrapper.</summary>
    public static int Skip(string name, List<string> argv, int p, Dictionary<string, string> assignments)
    {
        var i = p + 1;
        switch (name)
        {
            case "sudo":
                return SkipAssignments(argv, SkipOptions(argv, i, "ugpCDrtUTR", SudoLong), assignments);
            case "doas":
                return SkipOptions(argv, i, "uC", []);
            case "env":
                return SkipEnv(argv, i, assignments);
            case "nice":
                return SkipOptions(argv, i, "n", NiceLong);
            case "timeout":
                i = SkipOptions(argv, i, "sk", TimeoutLong);
                return Math.Min(i + 1, argv.Count);
            case "chrt":
                i = SkipOptions(argv, i, "TPD", []);
                return Math.Min(i + 1, argv.Count);
            case "nohup" or "builtin" or "setsid" or "busybox" or "unbuffer" or "exec":
                return SkipOptions(argv, i, name == "exec" ? "a" : "", []);
            case "command":
                // "command -v rm" only looks rm up; it runs nothing.
                for (var k = i; k < argv.Count && argv[k].StartsWith('-'); k++)
                {
                    if (argv[k].Contains('v') || argv[k].Contains('V'))
                    {
                        return -1;
                    }
                }

                return SkipOptions(argv, i, "", []);
            case "time":
                return SkipOptions(argv, i, "fo", TimeLong);
            case "stdbuf":
                return SkipOptions(argv, i, "ioe", StdbufLong);
            case "ionice":
                return SkipOptions(argv, i, "cn", IoniceLong);
            case "xargs":
                return SkipOptions(argv, i, "ILnPsdEa", XargsLong);
            default:
                return -1;
        }
    }

    private static int SkipOptions(List<string> argv, int i, string argLetters, string[] longWithArgument)
    {
        while (i < argv.Count)
        {
            var a = argv[i];
            if (a == "--")
            {
                return i + 1;
            }

            if (a.Length < 2 || a[0] != '-')
            {
                return i;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                i += !a.Contains('=') && Array.IndexOf(longWithArgument, a) >= 0 ? 2 : 1;
                continue;
            }

            // In a short cluster the first letter taking a value ends it: "-uroot" carries it, "-Eu root" takes the next word.
            var needsNext = false;
            for (var k = 1; k < a.Length; k++)
            {
                if (argLetters.Contains(a[k]))
                {
                    needsNext = k == a.Length - 1;
                    break;
                }
            }

            i += needsNext ? 2 : 1;
        }

        return Math.Min(i, argv.Count);
    }

    private static int SkipAssignments(List<string> argv, int i, Dictionary<string, string> assignments)
    {
        while (i < argv.Count && TrySplitAssignment(argv[i], out var key, out var value))
        {
            assignments[key] = value;
            i++;
        }

        return i;
    }

    private static int SkipEnv(List<string> argv, int i, Dictionary<string, string> assignments)
    {
        while (i < argv.Count)
        {
            var a = argv[i];
            if (a == "--")
            {
                i++;
                break;
            }

            if (a is "-u" or "-C" or "--unset" or "--chdir")
            {
                i += 2;
            }
            else if (a is "-S" or "--split-string" || a.StartsWith("-S", StringComparison.Ordinal) || a.StartsWith("--split-string=", StringComparison.Ordinal))
            {
                // env -S "cmd args" splits one word into the command line.
                var payload = a is "-S" or "--split-string" ? (i + 1 < argv.Count ? argv[i + 1] : "") : a[(a.Contains('=') && a.StartsWith("--", StringComparison.Ordinal) ? a.IndexOf('=') + 1 : 2)..];
                var consumed = a is "-S" or "--split-string" ? 2 : 1;
                argv.RemoveRange(i, Math.Min(consumed, argv.Count - i));
                argv.InsertRange(i, payload.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
            }
            else if (a.StartsWith('-') && a.Length > 1)
            {
                i++;
            }
            else if (a == "-" || TrySplitAssignment(a, out _, out _))
            {
                if (TrySplitAssignment(a, out var key, out var value))
                {
                    assignments[key] = value;
                }

                i++;
            }
            else
            {
                break;
            }
        }

        return Math.Min(i, argv.Count);
    }

    public static bool TrySplitAssignment(string word, out string key, out string value)
    {
        key = "";
        value = "";
        var eq = word.IndexOf('=');
        if (eq <= 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        for (var k = 1; k < eq; k++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[k]) || word[k] == '_') && !(k == eq - 1 && word[k] == '+'))
            {
                return false;
            }
        }

        key = word[..eq].TrimEnd('+');
        value = word[(eq + 1)..];
        return true;
    }
}
