namespace Governance.Analysis.Interpreters;

/// <summary>Knows which commands are shells or language interpreters, and where their inline code sits in argv.</summary>
internal static class InterpreterCatalog
{
    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal)
    {
        "bash", "sh", "zsh", "dash", "ksh", "mksh", "ash", "rbash", "fish", "csh", "tcsh", "yash", "posh",
    };

    private static readonly System.Buffers.SearchValues<char> VersionChars = System.Buffers.SearchValues.Create("0123456789.");

    private static readonly HashSet<string> StatementReaders = new(StringComparer.Ordinal)
    {
        "psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "mongosh", "mongo", "redis-cli", "clickhouse-client", "duckdb", "cockroach", "crontab",
    };

    public static bool IsShell(string name) => Shells.Contains(name);

    /// <summary>Database clients (and crontab) that execute the statements they read on stdin.</summary>
    public static bool ReadsStatements(string name) => StatementReaders.Contains(name);

    /// <summary>For a shell: the -c script, or whether it reads its script from stdin.</summary>
    public static (string? Script, bool ReadsStdin) ParseShell(IReadOnlyList<string> args)
    {
        var command = false;
        var stdin = false;
        var k = 0;
        for (; k < args.Count; k++)
        {
            var a = args[k];
            if (a is "--" or "-")
            {
                k++;
                break;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a is "--rcfile" or "--init-file")
                {
                    k++;
                }

                continue;
            }

            if (a.Length > 1 && a[0] is '-' or '+')
            {
                command |= a.Contains('c');
                stdin |= a.Contains('s');
                if (a.Contains('o') || a.Contains('O'))
                {
                    k++;
                }

                continue;
            }

            break;
        }

        if (command)
        {
            return (k < args.Count ? args[k] : null, false);
        }

        return (null, stdin || k >= args.Count);
    }

    // awk's program is its first operand unless -f names a file; -v, -F and -f take a value.
    private static string? AwkProgram(IReadOnlyList<string> args)
    {
        for (var k = 0; k < args.Count; k++)
        {
            var a = args[k];
            if (a is "-f" or "--file" || a.StartsWith("-f", StringComparison.Ordinal) && a.Length > 2)
            {
                return null;
            }
            if (a is "-v" or "-F" or "--assign" or "--field-separator")
            {
                k++;
                continue;
            }
            if (a == "--")
            {
                return k + 1 < args.Count ? args[k + 1] : null;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                continue;
            }
            return a;
        }
        return null;
    }

    /// <summary>For a language interpreter: its inline code (-c, -e, ...) joined, and whether it reads a program from stdin.</summary>
    public static bool TryParseInterpreter(string name, IReadOnlyList<string> args, out string? code, out bool readsStdin)
    {
        code = null;
        readsStdin = false;
        string codeLetters;
        string[] longForms = [];
        if (IsVersioned(name, "python") || IsVersioned(name, "pypy"))
        {
            codeLetters = "c";
        }
        else if (name is "node" or "nodejs" or "bun")
        {
            codeLetters = "ep";
            longForms = ["--eval", "--print"];
        }
        else if (IsVersioned(name, "perl") || IsVersioned(name, "ruby"))
        {
            codeLetters = "eE";
        }
        else if (IsVersioned(name, "php"))
        {
            codeLetters = "r";
        }
        else if (IsVersioned(name, "lua") || name == "luajit")
        {
            codeLetters = "e";
        }
        else if (name is "pwsh" or "powershell" or "pwsh.exe" or "powershell.exe")
        {
            code = PowerShellCode(args);
            return true;
        }
        else if (name is "awk" or "gawk" or "mawk" or "nawk" or "busybox-awk")
        {
            code = AwkProgram(args);
            return true;
        }
        else if (name == "deno")
        {
            // deno eval CODE; deno run - reads the program from stdin.
            code = args.Count > 1 && args[0] == "eval" ? args[^1] : null;
            readsStdin = args.Count > 0 && args[0] == "run" && args[^1] == "-";
            return true;
        }
        else if (name is "Rscript" or "R")
        {
            codeLetters = "e";
            longForms = ["--expr"];
        }
        else
        {
            return false;
        }

        List<string>? pieces = null;
        var positional = false;
        for (var k = 0; k < args.Count; k++)
        {
            var a = args[k];
            if (a == "-")
            {
                break;
            }

            if (a == "--" || a.Length < 2 || a[0] != '-')
            {
                positional = a != "--" || k + 1 < args.Count;
                break;
            }

            if (Array.IndexOf(longForms, a) >= 0)
            {
                if (k + 1 < args.Count)
                {
                    (pieces ??= []).Add(args[++k]);
                }

                continue;
            }

            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            if (a == "-m")
            {
                positional = true;
                break;
            }

            var at = a.AsSpan(1).IndexOfAny(codeLetters);
            if (at >= 0)
            {
                var attached = a[(at + 2)..];
                if (attached.Length > 0)
                {
                    (pieces ??= []).Add(attached);
                }
                else if (k + 1 < args.Count)
                {
                    (pieces ??= []).Add(args[++k]);
                }

                // python -c ends option parsing; the rest is sys.argv.
                if (codeLetters == "c")
                {
                    break;
                }
            }
        }

        code = pieces is null ? null : string.Join('\n', pieces);
        readsStdin = code is null && !positional;
        return true;
    }

    // powershell -NoProfile -Command "iex (...)" or -EncodedCommand <base64 of UTF-16LE>.
    private static string? PowerShellCode(IReadOnlyList<string> args)
    {
        for (var k = 0; k < args.Count; k++)
        {
            var option = args[k].ToLowerInvariant();
            if (option is "-c" or "-command" or "/c" or "-com" or "-comm" or "-comma" or "-comman")
            {
                return k + 1 < args.Count ? string.Join(' ', args.Skip(k + 1)) : null;
            }
            if (option is "-e" or "-ec" or "-enc" or "-encodedcommand" or "-en" or "-encoded" && k + 1 < args.Count)
            {
                try
                {
                    return System.Text.Encoding.Unicode.GetString(Convert.FromBase64String(args[k + 1]));
                }
                catch (FormatException)
                {
                    return null;
                }
            }
            if (option is "-executionpolicy" or "-ep" or "-file" or "-f" or "-windowstyle" or "-w" or "-workingdirectory")
            {
                k++;
            }
        }
        return null;
    }

    private static bool IsVersioned(string name, string stem) =>
        name.StartsWith(stem, StringComparison.Ordinal) && !name.AsSpan(stem.Length).ContainsAnyExcept(VersionChars);
}
