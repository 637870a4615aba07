namespace Governance.Analysis.Commands;

/// <summary>Option parsing good enough to read intent from argv: short clusters ("-rf"), long options, operands.</summary>
internal static class CommandArguments
{
    /// <summary>True when a short option cluster before "--" contains <paramref name="letter"/> ("-rf" has r and f).</summary>
    public static bool HasShort(IReadOnlyList<string> args, char letter)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                return false;
            }
            if (arg.Length > 1 && arg[0] == '-' && arg[1] != '-' && IsCluster(arg) && arg.AsSpan(1).Contains(letter))
            {
                return true;
            }
        }
        return false;
    }

    public static bool HasLong(IReadOnlyList<string> args, string option)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                return false;
            }
            if (arg == option || (arg.StartsWith(option, StringComparison.Ordinal) && arg.Length > option.Length && arg[option.Length] == '='))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Has(IReadOnlyList<string> args, string exact)
    {
        foreach (var arg in args)
        {
            if (arg == exact)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The value of "-o X", "-oX", "--output X" or "--output=X"; null when absent.</summary>
    public static string? Value(IReadOnlyList<string> args, string? shortOption, string? longOption)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                return null;
            }
            if ((arg == shortOption || arg == longOption) && i + 1 < args.Count)
            {
                return args[i + 1];
            }
            if (longOption is not null && arg.StartsWith(longOption + "=", StringComparison.Ordinal))
            {
                return arg[(longOption.Length + 1)..];
            }
            // A cluster ending in the option takes the next word: curl -fsSLo file.
            if (shortOption is { Length: 2 } && arg.Length > 2 && arg[0] == '-' && arg[1] != '-' && arg[^1] == shortOption[1] && IsCluster(arg) && i + 1 < args.Count)
            {
                return args[i + 1];
            }
            if (shortOption is not null && arg.Length > shortOption.Length && arg.StartsWith(shortOption, StringComparison.Ordinal) && shortOption.Length == 2 && arg[1] != '-')
            {
                return arg[2..];
            }
        }
        return null;
    }

    /// <summary>Every value of a repeatable option ("-d a -d b", "--data=a").</summary>
    public static IEnumerable<string> Values(IReadOnlyList<string> args, IReadOnlyCollection<string> options)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (options.Contains(arg) && i + 1 < args.Count)
            {
                yield return args[++i];
                continue;
            }
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2 && options.Contains(arg[..eq]))
            {
                yield return arg[(eq + 1)..];
            }
            else if (arg.Length > 2 && arg[0] == '-' && arg[1] != '-' && options.Contains(arg[..2]))
            {
                yield return arg[2..];
            }
        }
    }

    /// <summary>Arguments that are not options; <paramref name="valued"/> lists options that consume the next word.</summary>
    public static List<string> Operands(IReadOnlyList<string> args, IReadOnlyCollection<string>? valued = null)
    {
        var operands = new List<string>();
        var endOfOptions = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (endOfOptions)
            {
                operands.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                endOfOptions = true;
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                if (valued is not null && valued.Contains(arg))
                {
                    i++;
                }
                continue;
            }
            operands.Add(arg);
        }
        return operands;
    }

    private static bool IsCluster(string arg)
    {
        for (var i = 1; i < arg.Length; i++)
        {
            if (!char.IsAsciiLetter(arg[i]))
            {
                return false;
            }
        }
        return true;
    }
}
