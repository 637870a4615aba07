using Governance.Analysis.Effects;
using Governance.Analysis.Evaluation;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Shell;

namespace Governance.Analysis.Commands;

/// <summary>
/// State of one <see cref="ShellCommandAnalyzer.Analyze"/> call: the commands found and the opaque reasons. The shell itself
/// (variables, loops, functions, aliases, substitutions, decoders, <c>eval</c>, <c>sh -c</c>) is evaluated by
/// <see cref="ShellEvaluator"/>; this adds what is about programs rather than the shell: wrappers (sudo, env, xargs,
/// timeout, …), interpreters and the code they are given, <c>find -exec</c>, and shells reached through a wrapper.
/// </summary>
internal sealed class AnalysisSession
{
    private const int MaxCommands = 10_000;
    private const int MaxReasons = 64;

    // Nested analyses re-read substrings; cap the total so adversarial nesting stays linear-ish.
    private const long MaxLexedChars = 4L * 1024 * 1024;

    private static readonly HashSet<string> Decoders = new(StringComparer.Ordinal)
    {
        "base64", "base32", "basenc", "uudecode", "openssl", "gunzip", "zcat", "gzip", "bunzip2", "xz", "unxz", "xxd", "rev", "tr", "sed", "awk",
    };

    private readonly int _maxDepth;
    private readonly List<ExecutedCommand> _commands = [];
    private readonly List<string> _reasons = [];
    private long _lexed;
    private int _pipelines;

    public AnalysisSession(int maxDepth) => _maxDepth = maxDepth;

    public ShellAnalysis ToResult(bool truncated) => new()
    {
        Commands = _commands.ToArray(),
        OpaqueReasons = _reasons.ToArray(),
        Truncated = truncated,
    };

    public void Opaque(string reason)
    {
        if (_reasons.Count < MaxReasons && !_reasons.Contains(reason))
        {
            _reasons.Add(reason);
        }
    }

    public void AnalyzeText(string text, CommandOrigin origin, int depth)
    {
        if (depth > _maxDepth)
        {
            Opaque($"nesting deeper than {_maxDepth} levels was not analysed");
            return;
        }

        _lexed += text.Length;
        if (_lexed > MaxLexedChars)
        {
            Opaque("analysis budget exhausted");
            return;
        }

        // "." is where the command starts: $PWD and `pwd` then name the working folder, which the paths resolve against.
        var evaluation = ShellEvaluator.Evaluate(text, ".");
        foreach (var reason in evaluation.OpaqueReasons)
        {
            Opaque(reason);
        }

        // Pipeline numbers are per evaluation; make them unique across the nested evaluations of this session. The commands
        // of one pipeline come in stage order, so its producer and whether a decoder ran earlier are tracked in one pass.
        var offset = _pipelines;
        var producers = new Dictionary<int, string>();
        var encoded = new HashSet<int>();
        var decodedBelow = int.MaxValue;
        var commands = evaluation.Commands;
        foreach (var command in commands)
        {
            _pipelines = Math.Max(_pipelines, offset + command.Pipeline + 1);
            if (command.Depth + depth > _maxDepth)
            {
                Opaque($"nesting deeper than {_maxDepth} levels was not analysed");
                continue;
            }
            if (command.Depth < decodedBelow)
            {
                decodedBelow = int.MaxValue;
            }
            var name = ProgramName(command);
            var fedEncoded = command.Stage > 0 && encoded.Contains(command.Pipeline);
            var reached = origin != CommandOrigin.Direct ? origin
                : command.Depth >= decodedBelow ? CommandOrigin.Decoded
                : OriginOf(command);
            Process(command, reached, producers.GetValueOrDefault(command.Pipeline), fedEncoded, offset, depth);
            if (command.Stage == 0)
            {
                producers[command.Pipeline] = name;
            }
            if (IsDecoder(name, command))
            {
                encoded.Add(command.Pipeline);
            }
            if (fedEncoded && InterpreterCatalog.IsShell(name) && decodedBelow == int.MaxValue)
            {
                // What the evaluator read from this shell's stdin follows it, one level deeper: it was decoded.
                decodedBelow = command.Depth + 1;
            }
        }
    }

    public static string Basename(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    private void Process(EvaluatedCommand command, CommandOrigin origin, string? producer, bool fedEncoded, int offset, int depth)
    {
        var redirections = new List<Redirection>(command.Redirects.Count);
        string? heredoc = null;
        string? stdinFrom = null;
        foreach (var redirect in command.Redirects)
        {
            var target = redirect.Operator == RedirectOperator.HereString && redirect.Target.Text.EndsWith('\n')
                ? redirect.Target.Text[..^1]
                : redirect.Target.Text;
            redirections.Add(new Redirection(OperatorText(redirect.Operator), target, redirect.FileDescriptor));
            if (redirect.Operator is RedirectOperator.Heredoc or RedirectOperator.HeredocStripTabs)
            {
                heredoc = redirect.Target.Text;
                stdinFrom ??= "heredoc";
            }
            else if (redirect.Operator == RedirectOperator.HereString)
            {
                stdinFrom ??= "herestring";
            }
        }
        if (command.Stage > 0)
        {
            stdinFrom ??= "pipe:" + producer;
        }

        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in command.Assignments)
        {
            assignments[name] = value.Text;
        }

        var pipelineId = command.Pipeline < 0 ? -1 : offset + command.Pipeline;
        var context = new CommandContext(redirections, heredoc, command.StdinText, stdinFrom, command.Stage, pipelineId, fedEncoded);
        if (command.Arguments.Count == 0)
        {
            if (redirections.Count > 0)
            {
                // "> file" truncates a file: report it so callers can see the write.
                Emit(Build("", [], assignments, [], origin, depth + command.Depth, context, null));
            }
            return;
        }

        var argv = new List<string>(command.Arguments.Count);
        foreach (var word in command.Arguments)
        {
            argv.Add(argv.Count == 0 ? word.Text : WithAsciiDashes(word.Text));
        }
        Execute(argv, assignments, origin, depth + command.Depth, context, evaluated: true);
    }

    /// <summary>
    /// An option spelled with a Unicode dash (<c>‐‐hard</c>, <c>–rf</c>, <c>—force</c>) reads as what it looks like: an agent
    /// that writes it means the option, and a tool that normalises its input would run it.
    /// </summary>
    private static string WithAsciiDashes(string word)
    {
        var i = 0;
        var prefix = new System.Text.StringBuilder();
        while (i < word.Length && i < 2 && word[i] is '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\uFE63' or '\uFF0D')
        {
            prefix.Append(word[i] is '\u2014' or '\u2015' ? "--" : "-");
            i++;
        }
        return i == 0 ? word : prefix + word[i..];
    }

    /// <summary>The program a command runs once wrappers are peeled (<c>sudo curl …</c> → <c>curl</c>).</summary>
    private static string ProgramName(EvaluatedCommand command)
    {
        var argv = command.Arguments.Select(a => a.Text).ToList();
        var scratch = new Dictionary<string, string>(StringComparer.Ordinal);
        var p = 0;
        while (p < argv.Count)
        {
            var next = CommandWrappers.Skip(Basename(argv[p]), argv, p, scratch);
            if (next < 0 || next >= argv.Count)
            {
                break;
            }
            p = next;
        }
        return p < argv.Count ? Basename(argv[p]) : "";
    }

    // A decoding step (base64 -d, xxd -r, rev, tr, an escape-laden printf or echo -e): what it feeds down the pipe was encoded.
    private static bool IsDecoder(string name, EvaluatedCommand command) =>
        Decoders.Contains(name) ||
        (name is "printf" or "echo" && command.Arguments.Skip(1).Any(a => a.Text.Contains('\\', StringComparison.Ordinal)));

    private static CommandOrigin OriginOf(EvaluatedCommand command) => command.Origin switch
    {
        "substitution" or "process substitution" => CommandOrigin.Substitution,
        "eval" => CommandOrigin.Eval,
        var o when o.EndsWith(" -c", StringComparison.Ordinal) || o.StartsWith("stdin of ", StringComparison.Ordinal) => CommandOrigin.ShellReentry,
        "subshell" => CommandOrigin.Subshell,
        "group" => CommandOrigin.Group,
        var o when o.StartsWith("function ", StringComparison.Ordinal) => CommandOrigin.Group,
        _ => command.Stage > 0 ? CommandOrigin.Pipeline : CommandOrigin.Direct,
    };

    private static string OperatorText(RedirectOperator op) => op switch
    {
        RedirectOperator.Input => "<",
        RedirectOperator.Output => ">",
        RedirectOperator.Append => ">>",
        RedirectOperator.Clobber => ">|",
        RedirectOperator.ReadWrite => "<>",
        RedirectOperator.DuplicateInput => "<&",
        RedirectOperator.DuplicateOutput => ">&",
        RedirectOperator.OutputAndError => "&>",
        RedirectOperator.AppendOutputAndError => "&>>",
        RedirectOperator.Heredoc => "<<",
        RedirectOperator.HeredocStripTabs => "<<-",
        RedirectOperator.HereString => "<<<",
        _ => op.ToString(),
    };

    /// <summary>
    /// Peels wrappers and follows what the program runs. <paramref name="evaluated"/> says the command came straight from the
    /// evaluator, which has already followed <c>eval</c> and a shell given code (<c>sh -c</c>, stdin) when nothing wraps them.
    /// </summary>
    private void Execute(List<string> argv, Dictionary<string, string> assignments, CommandOrigin origin, int depth, CommandContext context, bool evaluated,
        IReadOnlyList<string>? outerWrappers = null)
    {
        var wrappers = outerWrappers is null ? new List<string>() : [.. outerWrappers];
        var p = 0;
        var lastWrapper = -1;
        while (p < argv.Count)
        {
            var wrapperName = Basename(argv[p]);
            var next = CommandWrappers.Skip(wrapperName, argv, p, assignments);
            if (next < 0)
            {
                break;
            }

            wrappers.Add(wrapperName);
            lastWrapper = p;
            if (wrapperName == "xargs")
            {
                origin = CommandOrigin.Xargs;
            }

            p = next;
        }

        if (p >= argv.Count)
        {
            if (lastWrapper < 0)
            {
                return;
            }

            // A wrapper with no command ("sudo -i", "env") runs itself.
            wrappers.RemoveAt(wrappers.Count - 1);
            p = lastWrapper;
        }

        var name = Basename(argv[p]);
        var args = argv.GetRange(p + 1, argv.Count - p - 1);
        var stdinText = context.StdinText;
        var followed = evaluated && wrappers.Count == 0;

        if (CommandStrings.Of(name, args, stdinText) is { } handed)
        {
            Emit(Build(name, args, assignments, wrappers, origin, depth, context, null));
            AnalyzeText(handed, CommandOrigin.ShellReentry, depth + 1);
            return;
        }

        if (ContainerRun.Inner(name, args) is var (inside, reach))
        {
            Emit(Build(name, args, assignments, wrappers, origin, depth, context, null));
            if (depth + 1 > _maxDepth)
            {
                Opaque($"nesting deeper than {_maxDepth} levels was not analysed");
                return;
            }
            // What runs inside acts on the host paths the mounts expose; a container with host access is a privilege.
            var inContainer = new CommandContext([], null, null, null, 0, -1, false);
            Execute(inside, new Dictionary<string, string>(StringComparer.Ordinal), CommandOrigin.ShellReentry, depth + 1, inContainer, evaluated: false,
                [.. wrappers, reach]);
            return;
        }

        if (InterpreterCatalog.IsShell(name))
        {
            var (script, readsStdin) = InterpreterCatalog.ParseShell(args);
            var code = script ?? (readsStdin ? stdinText : null);
            var shellOrigin = script is null && code is not null ? CommandOrigin.Interpreter : origin;
            Emit(Build(name, args, assignments, wrappers, shellOrigin, depth, context, code));
            if (code is not null && !followed)
            {
                AnalyzeText(code, context.Encoded && script is null ? CommandOrigin.Decoded : CommandOrigin.ShellReentry, depth + 1);
            }
            else if (code is null && readsStdin && context.Encoded)
            {
                Opaque("encoded payload piped to a shell");
            }
            return;
        }

        if (InterpreterCatalog.TryParseInterpreter(name, args, out var inline, out var interpreterReadsStdin))
        {
            if (inline is null && interpreterReadsStdin)
            {
                inline = stdinText;
                if (inline is null && context.Encoded)
                {
                    Opaque("encoded payload piped to an interpreter");
                }
            }

            Emit(Build(name, args, assignments, wrappers, inline is null ? origin : CommandOrigin.Interpreter, depth, context, inline));
            return;
        }

        Emit(Build(name, args, assignments, wrappers, origin, depth, context, InterpreterCatalog.ReadsStatements(name) ? stdinText : null));
        if (name == "eval" && args.Count > 0 && !followed)
        {
            AnalyzeText(string.Join(' ', args), CommandOrigin.Eval, depth + 1);
        }
        else if (name == "find")
        {
            RunFindExec(args, depth);
        }
    }

    // Tests that pick files by what they are called, how old or big they are: such a find acts on a selection, while one
    // limited only by type or depth acts on everything below its start.
    private static readonly HashSet<string> SelectiveTests = new(StringComparer.Ordinal)
    {
        "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-newer", "-mtime", "-mmin", "-atime", "-amin",
        "-ctime", "-cmin", "-size", "-empty", "-user", "-group", "-perm", "-links", "-inum", "-samefile", "-lname", "-ilname",
    };

    private void RunFindExec(List<string> args, int depth)
    {
        // find ~ -mindepth 1 -exec rm -rf {} + is rm -rf ~/*: without a selective test, {} stands for everything below the start.
        var start = args.TakeWhile(a => !a.StartsWith('-') && a is not ("(" or "!" or "\\(")).FirstOrDefault() ?? ".";
        var everything = !args.TakeWhile(a => a is not ("-exec" or "-execdir" or "-ok" or "-okdir")).Any(SelectiveTests.Contains);
        for (var k = 0; k < args.Count; k++)
        {
            if (args[k] is not ("-exec" or "-execdir" or "-ok" or "-okdir"))
            {
                continue;
            }

            var end = k + 1;
            while (end < args.Count && args[end] is not (";" or "+"))
            {
                end++;
            }

            var command = args.GetRange(k + 1, end - k - 1);
            k = end;
            if (command.Count == 0)
            {
                continue;
            }

            if (depth + 1 > _maxDepth)
            {
                Opaque($"nesting deeper than {_maxDepth} levels was not analysed");
                return;
            }

            if (everything)
            {
                var below = (start.Length > 1 ? start.TrimEnd('/') : start == "/" ? "" : start) + "/*";
                command = command.Select(w => w.Contains("{}", StringComparison.Ordinal) ? w.Replace("{}", below, StringComparison.Ordinal) : w).ToList();
            }
            var empty = new CommandContext([], null, null, null, 0, -1, false);
            Execute(command, new Dictionary<string, string>(StringComparer.Ordinal), CommandOrigin.FindExec, depth + 1, empty, evaluated: false);
        }
    }

    private static ExecutedCommand Build(string name, List<string> args, Dictionary<string, string> assignments, List<string> wrappers, CommandOrigin origin, int depth, CommandContext context, string? inlineCode) => new()
    {
        Name = name,
        Arguments = args,
        Redirections = context.Redirections,
        Assignments = assignments,
        Wrappers = wrappers,
        Origin = origin,
        Depth = depth,
        StdinFrom = context.StdinFrom,
        Heredoc = context.Heredoc,
        InlineCode = inlineCode,
        Pipeline = context.PipelineId,
        Stage = context.Stage,
    };

    private void Emit(ExecutedCommand command)
    {
        if (_commands.Count >= MaxCommands)
        {
            Opaque("too many commands; the rest was not analysed");
            return;
        }
        if (DisguisedName.IsDisguised(command.Name))
        {
            Opaque("command name has look-alike or invisible characters: " + Shorten(command.Name));
        }

        _commands.Add(command);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
