using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;
using static Governance.Analysis.Commands.CommandArguments;

namespace Governance.Analysis.Effects;

/// <summary>Deletes, truncations, writes and reads of files by shell commands (and their redirections).</summary>
internal static class FileEffects
{
    private static readonly HashSet<string> Readers = new(StringComparer.Ordinal)
    {
        "cat", "less", "more", "head", "tail", "bat", "batcat", "nl", "strings", "xxd", "od", "hexdump", "base64", "base32", "tac", "view",
        "vim", "vi", "nvim", "nano", "emacs", "code", "wc", "sort", "uniq", "diff", "cmp", "md5sum", "sha1sum", "sha256sum",
        "file", "zip", "gzip", "7z", "gpg", "openssl", "ssh-keygen", "iconv", "cut", "paste", "column", "dos2unix", "python-dotenv", "dotenv",
        "tar", "jq", "yq", "awk", "gawk", "sed", "grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "perl", "ruby", "php", "node", "python", "python3",
    };

    private static readonly HashSet<string> ValuedHeadTail = new(StringComparer.Ordinal) { "-n", "-c", "--lines", "--bytes", "-w", "-l", "-s", "-o" };

    private static readonly HashSet<string> GrepValued = new(StringComparer.Ordinal)
    {
        "-A", "-B", "-C", "-m", "--max-count", "-g", "--glob", "-t", "--type", "-T", "--type-not", "--include", "--exclude", "--exclude-dir", "-d", "-D", "--color", "-j", "--threads", "-M",
    };

    public static void Collect(ExecutedCommand command, string text, EffectBuilder effects)
    {
        var args = command.Arguments;
        switch (command.Name)
        {
            case "rm":
                var recursive = HasShort(args, 'r') || HasShort(args, 'R') || HasLong(args, "--recursive");
                var force = HasShort(args, 'f') || HasLong(args, "--force");
                effects.Add(EffectKinds.Delete, text, effects.Paths(Operands(args)), "", Flags(recursive ? "recursive" : null, force ? "force" : null));
                break;
            case "rmdir" or "unlink" or "srm":
                effects.Add(EffectKinds.Delete, text, effects.Paths(Operands(args)));
                break;
            case "shred":
                effects.Add(EffectKinds.Shred, text, effects.Paths(Operands(args, ["-n", "-s", "--iterations", "--size"])));
                break;
            case "truncate":
                effects.Add(EffectKinds.Truncate, text, effects.Paths(Operands(args, ["-s", "-r", "--size", "--reference"])));
                break;
            case "find":
                Find(args, text, effects);
                break;
            case "tee":
                effects.Add(EffectKinds.Write, text, effects.Paths(Operands(args)), "", Flags(HasShort(args, 'a') || HasLong(args, "--append") ? "append" : null));
                break;
            case "cp" or "mv" or "install" or "ln" or "rsync" when !IsRemoteCopy(args):
                Copy(command.Name, args, text, effects);
                break;
            case "sed" or "perl" when HasShort(args, 'i') || HasLong(args, "--in-place") || args.Any(a => a.StartsWith("-i", StringComparison.Ordinal)):
                var files = Operands(args, ["-e", "-f", "--expression", "--file"]);
                if (!Has(args, "-e") && !Has(args, "--expression") && !Has(args, "-f") && files.Count > 0)
                {
                    files.RemoveAt(0);
                }
                effects.Add(EffectKinds.Write, text, effects.Paths(files), "in-place");
                break;
            case "dd":
                foreach (var arg in args)
                {
                    if (arg.StartsWith("of=", StringComparison.Ordinal))
                    {
                        effects.Add(EffectKinds.Write, text, [effects.Path(arg[3..])]);
                    }
                    else if (arg.StartsWith("if=", StringComparison.Ordinal))
                    {
                        effects.Add(EffectKinds.Read, text, [effects.Path(arg[3..])]);
                    }
                }
                break;
            case "curl" when Value(args, "-o", "--output") is { } output:
                effects.Add(EffectKinds.Write, text, [effects.Path(output)], "download");
                break;
            case "wget" when Value(args, "-O", "--output-document") is { } output && output != "-":
                effects.Add(EffectKinds.Write, text, [effects.Path(output)], "download");
                break;
            default:
                if (Readers.Contains(command.Name))
                {
                    Read(command, text, effects);
                }
                break;
        }
        Redirections(command, text, effects);
    }

    private static void Find(IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        var starts = new List<string>();
        foreach (var arg in args)
        {
            if (arg.StartsWith('-') || arg is "(" or "!" or "\\(")
            {
                break;
            }
            starts.Add(arg);
        }
        if (starts.Count == 0)
        {
            starts.Add(".");
        }
        var deletes = Has(args, "-delete");
        for (var i = 0; i < args.Count - 1 && !deletes; i++)
        {
            if (args[i] is "-exec" or "-execdir" or "-ok" or "-okdir" && args[i + 1] is "rm" or "shred" or "unlink" or "/bin/rm" or "srm")
            {
                deletes = true;
            }
        }
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] is "-exec" or "-execdir" && args[i + 1] is "sed" or "perl" && args.Skip(i + 2).Any(a => a.StartsWith("-i", StringComparison.Ordinal) || a.StartsWith("-pi", StringComparison.Ordinal)))
            {
                effects.Add(EffectKinds.Write, text, effects.Paths(starts), "find");
                break;
            }
            if (args[i] is "-exec" or "-execdir" && Readers.Contains(args[i + 1]))
            {
                effects.Add(EffectKinds.Read, text, effects.Paths(starts), "find");
                break;
            }
            if (args[i] is "-exec" or "-execdir" && args[i + 1] == "shred")
            {
                effects.Add(EffectKinds.Shred, text, effects.Paths(starts), "find");
                break;
            }
        }
        if (deletes)
        {
            // find deletes what matches anywhere below its start points: judge it by those directories. A name, type or
            // age test makes it selective ("find . -name '*.o' -delete"), which the policy may treat differently.
            var filtered = args.Any(a => a is "-name" or "-iname" or "-path" or "-ipath" or "-regex" or "-iregex" or "-type" or "-mtime" or "-mmin" or
                "-atime" or "-newer" or "-size" or "-empty" or "-user" or "-perm" or "-wholename");
            effects.Add(EffectKinds.Delete, text, effects.Paths(starts), "find", Flags("recursive", filtered ? "filtered" : null));
        }
    }

    private static bool IsRemoteCopy(IReadOnlyList<string> args) => Operands(args).Any(NetworkEffects.IsRemotePath);

    private static void Copy(string name, IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        var operands = Operands(args, ["-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner", "-g", "--group", "-e"]);
        var target = Value(args, "-t", "--target-directory");
        if (target is null && operands.Count >= 2)
        {
            target = operands[^1];
            operands.RemoveAt(operands.Count - 1);
        }
        if (target is not null)
        {
            effects.Add(EffectKinds.Write, text, [effects.Path(target)], name);
        }
        if (name != "ln" && operands.Count > 0)
        {
            effects.Add(EffectKinds.Read, text, effects.Paths(operands), name);
        }
        if (name == "ln" && operands.Count > 0)
        {
            // ln -s ~/pack/rules ./r makes ./r a way in to what it links: the link's targets are what a later write changes.
            effects.Add(EffectKinds.Link, text, effects.Paths(operands), HasShort(args, 's') || HasLong(args, "--symbolic") ? "symbolic" : "hard");
        }
        if (name == "mv" && operands.Count > 0)
        {
            // A move takes the source away from where it was: for the guard's own files that is as good as deleting them.
            // Moving home, / or a system folder away takes the whole tree with it, like a recursive delete.
            var moved = effects.Paths(operands);
            effects.Add(EffectKinds.Delete, text, moved, "mv", moved.Any(t => t.IsCatastrophicDeleteTarget) ? ["move", "recursive"] : ["move"]);
        }
        if (name == "rsync" && HasLong(args, "--delete"))
        {
            effects.Add(EffectKinds.Delete, text, target is null ? [] : [effects.Path(target)], "rsync --delete", "recursive");
        }
    }

    private static void Read(ExecutedCommand command, string text, EffectBuilder effects)
    {
        var args = command.Arguments;
        List<string> files;
        switch (command.Name)
        {
            case "grep" or "egrep" or "fgrep" or "zgrep" or "rg" or "ag" or "ack":
                files = Operands(args, GrepValued);
                if (!Has(args, "-e") && !Has(args, "-f") && !HasLong(args, "--regexp") && files.Count > 0)
                {
                    files.RemoveAt(0);
                }
                break;
            case "awk" or "gawk" or "jq" or "yq" or "sed":
                files = Operands(args, ["-f", "-v", "-F", "-e", "--arg", "--argjson"]);
                if (!Has(args, "-f") && files.Count > 0)
                {
                    files.RemoveAt(0);
                }
                break;
            case "openssl" or "ssh-keygen":
                files = [.. args.Where((a, i) => i > 0 && args[i - 1] is "-in" or "-f" or "-key" or "-inkey")];
                break;
            case "perl" or "ruby" or "php" or "node" or "python" or "python3":
                // Interpreters are read as programs elsewhere; a script file argument is code, not a secret read.
                return;
            case "tar":
                files = Operands(args, ["-f", "-C", "--file", "--directory", "--exclude"]);
                break;
            default:
                files = Operands(args, ValuedHeadTail);
                break;
        }
        if (files.Count > 0)
        {
            effects.Add(EffectKinds.Read, text, effects.Paths(files));
        }
    }

    private static void Redirections(ExecutedCommand command, string text, EffectBuilder effects)
    {
        foreach (var redirection in command.Redirections)
        {
            var target = redirection.Target;
            if (target.Length == 0 || target.StartsWith('&') || target == "-" || redirection.Operator.Contains('&') && target.All(char.IsAsciiDigit))
            {
                continue;
            }
            // bash's /dev/tcp/HOST/PORT is a network connection, not a file: output sent there leaves the machine, and a shell
            // whose input or output is one is a remote shell.
            if (target.StartsWith("/dev/tcp/", StringComparison.Ordinal) || target.StartsWith("/dev/udp/", StringComparison.Ordinal))
            {
                var host = target.Split('/') is { Length: > 3 } parts ? parts[3] : "";
                if (host is not ("127.0.0.1" or "localhost" or "::1"))
                {
                    var shell = command.Name is "bash" or "sh" or "zsh" or "ksh" or "dash";
                    effects.Add(EffectKinds.Upload, text, null, host, shell ? ["dev-tcp", "remote-shell"] : ["dev-tcp"]);
                }
                continue;
            }
            switch (redirection.Operator)
            {
                case ">" or ">|" or "&>" or "1>" or "2>" or ">&":
                    var path = effects.Path(target);
                    if (path.Is(PathClass.NullDevice))
                    {
                        break;
                    }
                    effects.Add(EffectKinds.Write, text, [path], "redirect");
                    if (IsEmptyOutput(command))
                    {
                        effects.Add(EffectKinds.Truncate, text, [path], "redirect");
                    }
                    break;
                case ">>" or "&>>" or "2>>":
                    var appended = effects.Path(target);
                    if (!appended.Is(PathClass.NullDevice))
                    {
                        effects.Add(EffectKinds.Write, text, [appended], "redirect", "append");
                    }
                    break;
                case "<":
                    effects.Add(EffectKinds.Read, text, [effects.Path(target)], "redirect");
                    break;
            }
        }
    }

    // "> f", ": > f", "true > f", "cat /dev/null > f", "echo -n > f" empty a file.
    private static bool IsEmptyOutput(ExecutedCommand command) =>
        command.Name is "" or ":" or "true" ||
        (command.Name == "cat" && command.Arguments is ["/dev/null"]) ||
        (command.Name == "echo" && command.Arguments is ["-n"] or ["-n", ""]) ||
        (command.Name == "printf" && command.Arguments is [""]);

    internal static string[] Flags(params string?[] flags) => [.. flags.Where(f => f is not null).Cast<string>()];
}
