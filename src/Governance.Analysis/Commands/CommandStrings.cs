namespace Governance.Analysis.Commands;

/// <summary>
/// Programs that run a shell command handed to them as a string or as their remaining words: <c>watch</c>,
/// <c>script -c</c>, <c>su -c</c>, <c>runuser</c>, <c>flock</c>, <c>ssh host …</c>, <c>docker exec</c>, <c>kubectl exec</c>,
/// <c>tmux send-keys</c>, and <c>at</c>/<c>batch</c> reading their stdin. The command they run is analysed like any other
/// (a remote or in-container <c>rm -rf ~</c> is still a recursive delete of a home directory).
/// </summary>
internal static class CommandStrings
{
    private static readonly string[] SshOptionsWithValue = ["-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B"];
    private static readonly string[] ExecOptionsWithValue = ["-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys"];
    private static readonly string[] KubectlOptionsWithValue = ["-n", "--namespace", "-c", "--container", "--context", "--kubeconfig", "--cluster", "--user", "-f", "--filename", "--pod-running-timeout", "-s", "--server"];

    /// <summary>The shell code <paramref name="name"/> runs, or null when it is not such a runner (or runs nothing readable).</summary>
    public static string? Of(string name, IReadOnlyList<string> args, string? stdin) => name switch
    {
        "watch" => Join(args, SkipOptions(args, 0, valued: ["-n", "--interval"])),
        "script" => OptionValue(args, "-c", "--command"),
        "su" or "runuser" => OptionValue(args, "-c", "--command") ?? (name == "runuser" ? AfterDoubleDash(args) : null),
        "flock" => OptionValue(args, "-c", "--command") ?? Quoted(args, SkipOptions(args, 0, valued: ["-w", "--timeout", "-E", "--conflict-exit-code"]) + 1),
        "ssh" => Join(args, SkipOptions(args, 0, valued: SshOptionsWithValue) + 1),
        "docker" or "podman" when args.Count > 0 && args[0] == "exec" => Quoted(args, SkipOptions(args, 1, valued: ExecOptionsWithValue) + 1),
        "kubectl" or "oc" when args.Count > 0 && args[0] == "exec" => AfterDoubleDash(args) ?? Quoted(args, SkipOptions(args, 1, valued: KubectlOptionsWithValue) + 1),
        "tmux" when args.Count > 0 && args[0] is "send-keys" or "send" => Keys(args),
        "at" or "batch" => stdin,
        _ => null,
    };

    private static string? Keys(IReadOnlyList<string> args)
    {
        var keys = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] is "-t" or "-N" or "-c")
            {
                i++;
                continue;
            }
            if (args[i].StartsWith('-') || args[i] is "Enter" or "C-m" or "KPEnter")
            {
                continue;
            }
            keys.Add(args[i]);
        }
        return keys.Count > 0 ? string.Join(' ', keys) : null;
    }

    private static int SkipOptions(IReadOnlyList<string> args, int i, string[] valued)
    {
        while (i < args.Count && args[i].StartsWith('-') && args[i] != "-")
        {
            if (args[i] == "--")
            {
                return i + 1;
            }
            // "-p 22" takes a value; "-p22" and "--opt=value" carry it; other options are flags.
            i += Array.IndexOf(valued, args[i]) >= 0 ? 2 : 1;
        }
        return i;
    }

    private static string? OptionValue(IReadOnlyList<string> args, string shortForm, string longForm)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if ((args[i] == shortForm || args[i] == longForm) && i + 1 < args.Count)
            {
                return args[i + 1];
            }
            if (args[i].StartsWith(longForm + "=", StringComparison.Ordinal))
            {
                return args[i][(longForm.Length + 1)..];
            }
            if (args[i].Length > 2 && args[i][0] == '-' && args[i][1] != '-' && args[i].EndsWith(shortForm[1]) && i + 1 < args.Count)
            {
                return args[i + 1]; // "-qc CMD"
            }
        }
        return null;
    }

    private static string? AfterDoubleDash(IReadOnlyList<string> args)
    {
        var dash = -1;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                dash = i;
                break;
            }
        }
        return dash < 0 ? null : Quoted(args, dash + 1);
    }

    // ssh, watch and tmux hand their words to a shell joined by spaces, as written.
    private static string? Join(IReadOnlyList<string> args, int from) =>
        from < args.Count ? string.Join(' ', args.Skip(from)) : null;

    // exec-style runners (docker exec, kubectl exec, runuser --, flock) run the words as an argv: quote them back into shell.
    private static string? Quoted(IReadOnlyList<string> args, int from) =>
        from < args.Count ? string.Join(' ', args.Skip(from).Select(Quote)) : null;

    internal static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',' or '+' or '@' or '%')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
