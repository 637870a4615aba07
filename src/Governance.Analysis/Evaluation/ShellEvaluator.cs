using System.Globalization;
using System.Text;
using Governance.Analysis.Shell;

namespace Governance.Analysis.Evaluation;

/// <summary>
/// Symbolic evaluation over the syntax tree: walks a script as the shell would run it, without running anything. It
/// resolves variables and arrays, loop variables over literal lists, functions called with their arguments, aliases,
/// command names built from pieces, <c>which</c>/<c>command -v</c>, <c>eval</c>, <c>sh -c</c>, code fed to a shell on
/// stdin (here-documents, here-strings, and literal producers and decoders piped in), and <c>cd</c>, including into a
/// <c>mktemp</c> directory. Every command reached is reported once per way it is reached. Work is bounded: commands,
/// loop iterations, nesting of re-parsed code and value sizes have caps, and reaching one makes the result opaque.
/// </summary>
public static partial class ShellEvaluator
{
    public const int MaxCommands = 10_000;
    public const int MaxReparseDepth = 16;
    public const int MaxLoopIterations = 32;
    public const int MaxSteps = 200_000;

    private static readonly string[] Shells = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox"];

    public static ShellEvaluation Evaluate(string script, string? workingDirectory = null)
    {
        var parsed = ShellParser.Parse(script);
        var run = new Run();
        var state = new ShellState { WorkingDirectory = workingDirectory, WorkingDirectoryKnown = workingDirectory is not null };
        if (parsed.Script is { } tree)
        {
            run.List(tree, script, state, "script", 0);
            return new ShellEvaluation(run.Commands, run.Reasons, null);
        }
        run.Reasons.Add($"the command could not be parsed ({parsed.Error})");
        if (Recover(script, parsed.Error!) is ({ } recovered, var text))
        {
            run.List(recovered, text, state, "script", 0);
        }
        return new ShellEvaluation(run.Commands, run.Reasons, parsed.Error);
    }

    // What a command cut short most often leaves open: a quote, a substitution, or a substitution inside a quote.
    private static readonly string[] Closers = ["'", "\"", ")", ")\"", "`", "\"'", "'\"", "\")", "'\")", "))", " }", ";}", "\nfi", "\ndone", "\nesac"];

    /// <summary>
    /// Reads a script that does not parse as far as it can be read, so that <c>rm -rf ~; echo 'oops</c> still shows the
    /// <c>rm</c> (the result stays opaque either way): first with what was left open closed, then cut before the error,
    /// back to the last separator or blank. A bounded number of linear parses.
    /// </summary>
    private static (CommandList? Tree, string Text) Recover(string script, ShellSyntaxError error)
    {
        foreach (var closer in Closers)
        {
            var closed = script + closer;
            if (ShellParser.Parse(closed).Script is { } tree)
            {
                return (tree, closed);
            }
        }
        var prefix = script[..Math.Clamp(error.Offset, 0, script.Length)];
        for (var attempt = 0; attempt < 8 && prefix.Length > 0; attempt++)
        {
            if (ShellParser.Parse(prefix).Script is { } tree)
            {
                return (tree, prefix);
            }
            var cut = prefix.LastIndexOfAny([';', '\n', '&', '|', ' ', '\t']);
            if (cut < 0)
            {
                break;
            }
            prefix = prefix[..cut];
        }
        return (null, script);
    }

    private sealed class Run
    {
        public List<EvaluatedCommand> Commands { get; } = [];

        public List<string> Reasons { get; } = [];

        private int _steps;
        private int _pipelines;

        // The pipeline the command being evaluated belongs to, and its place in it; substitutions met on the way save and restore them.
        private int _pipeline = -1;
        private int _stage;

        private void Opaque(string reason)
        {
            if (Reasons.Count < 32 && !Reasons.Contains(reason, StringComparer.Ordinal))
            {
                Reasons.Add(reason);
            }
        }

        private bool Budget()
        {
            if (++_steps <= MaxSteps && Commands.Count < MaxCommands)
            {
                return true;
            }
            Opaque("the command is too large to evaluate completely");
            return false;
        }

        // ---- lists and compound commands ---------------------------------------------------------------------------

        public void List(CommandList list, string source, ShellState state, string origin, int depth)
        {
            foreach (var item in list.Items)
            {
                foreach (var pipeline in item.Command.Pipelines)
                {
                    if (!Budget())
                    {
                        return;
                    }
                    Pipeline(pipeline, source, item.Background ? state.Clone() : state, origin, depth);
                }
            }
        }

        private void Pipeline(Pipeline pipeline, string source, ShellState state, string origin, int depth)
        {
            string? stdout = null;
            var (outerPipeline, outerStage) = (_pipeline, _stage);
            var id = _pipelines++;
            for (var i = 0; i < pipeline.Commands.Count; i++)
            {
                // Each command of a multi-command pipeline runs in a subshell: its assignments do not survive it.
                var own = pipeline.Commands.Count > 1 ? state.Clone() : state;
                (_pipeline, _stage) = (id, i);
                stdout = Command(pipeline.Commands[i], source, own, origin, depth, i == 0 ? null : stdout, i > 0);
            }
            (_pipeline, _stage) = (outerPipeline, outerStage);
        }

        /// <summary>Evaluates one command; returns its standard output when that is known.</summary>
        private string? Command(ShellCommand command, string source, ShellState state, string origin, int depth, string? stdin, bool piped)
        {
            switch (command)
            {
                case SimpleCommand simple:
                    return Simple(simple, source, state, origin, depth, stdin, piped);
                case Subshell subshell:
                    Redirects(command, source, state, origin, depth);
                    List(subshell.Body, source, state.Clone(), origin == "script" ? "subshell" : origin, depth);
                    return null;
                case BraceGroup group:
                    Redirects(command, source, state, origin, depth);
                    List(group.Body, source, state, origin == "script" ? "group" : origin, depth);
                    return null;
                case IfCommand ifCommand:
                    Redirects(command, source, state, origin, depth);
                    var branches = new List<ShellState>();
                    foreach (var branch in ifCommand.Branches)
                    {
                        List(branch.Condition, source, state, origin, depth);
                        var taken = state.Clone();
                        List(branch.Body, source, taken, origin, depth);
                        branches.Add(taken);
                    }
                    if (ifCommand.Else is { } otherwise)
                    {
                        var taken = state.Clone();
                        List(otherwise, source, taken, origin, depth);
                        branches.Add(taken);
                    }
                    state.Merge(branches);
                    return null;
                case LoopCommand loop:
                    Redirects(command, source, state, origin, depth);
                    var looped = state.Clone();
                    List(loop.Condition, source, looped, origin, depth);
                    List(loop.Body, source, looped, origin, depth);
                    state.Merge([looped]);
                    return null;
                case ForCommand forCommand:
                    Redirects(command, source, state, origin, depth);
                    For(forCommand, source, state, origin, depth);
                    return null;
                case ArithmeticForCommand arithmeticFor:
                    Parts(arithmeticFor.Initializer.Parts, source, state, origin, depth);
                    Parts(arithmeticFor.Condition.Parts, source, state, origin, depth);
                    Parts(arithmeticFor.Step.Parts, source, state, origin, depth);
                    var iterated = state.Clone();
                    List(arithmeticFor.Body, source, iterated, origin, depth);
                    state.Merge([iterated]);
                    return null;
                case CaseCommand caseCommand:
                    Redirects(command, source, state, origin, depth);
                    Expand(caseCommand.Subject, source, state, origin, depth);
                    var arms = new List<ShellState>();
                    foreach (var arm in caseCommand.Items)
                    {
                        var taken = state.Clone();
                        List(arm.Body, source, taken, origin, depth);
                        arms.Add(taken);
                    }
                    state.Merge(arms);
                    return null;
                case FunctionDefinition function:
                    state.Functions[function.Name] = function.Body;
                    return null;
                case ArithmeticCommand arithmetic:
                    Parts(arithmetic.Expression.Parts, source, state, origin, depth);
                    AmbiguousArithmetic(arithmetic, source, state, origin, depth);
                    return null;
                case TestCommand test:
                    foreach (var word in test.Words)
                    {
                        Expand(word, source, state, origin, depth);
                    }
                    return null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// <c>(((…)))</c> reads as arithmetic, but shells differ on whether nested parentheses after <c>((</c> are subshells
        /// instead. Arithmetic rarely opens with a parenthesis: read it as commands too, and call it opaque either way.
        /// </summary>
        private void AmbiguousArithmetic(ArithmeticCommand arithmetic, string source, ShellState state, string origin, int depth)
        {
            var (start, end) = (arithmetic.Expression.Start + 2, arithmetic.Expression.End - 2); // inside (( and ))
            var inner = start < end && end <= source.Length ? source[start..end] : "";
            if (!inner.StartsWith('('))
            {
                return;
            }
            Opaque("(( … )) that opens with a parenthesis may run nested subshells");
            Reparse("(" + inner + ")", state.Clone(), origin, depth + 1);
        }

        private void For(ForCommand forCommand, string source, ShellState state, string origin, int depth)
        {
            var items = forCommand.Items is null
                ? state.Positional.ToList()
                : forCommand.Items.SelectMany(w => Expand(w, source, state, origin, depth)).ToList();
            var runs = new List<ShellState>();
            if (items.Count is > 0 and <= MaxLoopIterations)
            {
                foreach (var item in items)
                {
                    var iteration = state.Clone();
                    iteration.Variables[forCommand.Variable] = [item];
                    List(forCommand.Body, source, iteration, origin, depth);
                    runs.Add(iteration);
                }
            }
            else
            {
                var iteration = state.Clone();
                iteration.Variables[forCommand.Variable] = null;
                List(forCommand.Body, source, iteration, origin, depth);
                runs.Add(iteration);
            }
            state.Merge(runs);
        }

        private void Redirects(ShellCommand command, string source, ShellState state, string origin, int depth)
        {
            foreach (var redirect in command.Redirects)
            {
                Redirect(redirect, source, state, origin, depth);
            }
        }

        private EvaluatedRedirect Redirect(Redirect redirect, string source, ShellState state, string origin, int depth)
        {
            var target = redirect.HeredocBody is { } body ? Join(Expand(body, source, state, origin, depth, split: false))
                : Join(Expand(redirect.Target, source, state, origin, depth, split: redirect.Operator != RedirectOperator.HereString));
            if (redirect.Operator == RedirectOperator.HereString && target.Known)
            {
                target = target with { Text = target.Text + "\n" };
            }
            else if (redirect.Operator == RedirectOperator.HeredocStripTabs)
            {
                // <<- strips the leading tabs of every body line (the parser keeps the body as written in the source).
                target = target with { Text = string.Join('\n', target.Text.Split('\n').Select(line => line.TrimStart('\t'))) };
            }
            return new EvaluatedRedirect(redirect.FileDescriptor, redirect.Operator, target);
        }

        // ---- simple commands -----------------------------------------------------------------------------------------

        private string? Simple(SimpleCommand simple, string source, ShellState state, string origin, int depth, string? stdin, bool piped)
        {
            var assignments = new Dictionary<string, ShellWord>(StringComparer.Ordinal);
            var values = new List<(Assignment Assignment, IReadOnlyList<ShellWord>? Value)>();
            foreach (var assignment in simple.Assignments)
            {
                var value = AssignedValue(assignment, source, state, origin, depth);
                values.Add((assignment, value));
                assignments[assignment.Name] = value is null ? new ShellWord(source[assignment.Start..assignment.End], false) : Join(value);
            }
            var argv = new List<ShellWord>();
            foreach (var word in simple.Words)
            {
                argv.AddRange(Expand(word, source, state, origin, depth));
            }
            var redirects = simple.Redirects.Select(r => Redirect(r, source, state, origin, depth)).ToList();
            if (argv.Count == 0)
            {
                foreach (var (assignment, value) in values)
                {
                    Assign(state, assignment, value);
                }
                if (redirects.Count > 0)
                {
                    Emit(argv, redirects, assignments, origin, depth, state, stdin);
                }
                return null;
            }
            var input = redirects.LastOrDefault(r => r.Operator is RedirectOperator.Heredoc or RedirectOperator.HeredocStripTabs or RedirectOperator.HereString) is { } fed
                ? fed.Target.Known ? fed.Target.Text : null
                : piped ? stdin : null;

            var first = simple.Words[0];
            if (first.StaticValue is { } alias && !first.IsQuoted && state.Aliases.TryGetValue(alias, out var aliasText) && depth < MaxReparseDepth)
            {
                var rest = simple.Words.Count > 1 ? " " + source[simple.Words[1].Start..simple.Words[^1].End] : "";
                Reparse(aliasText + rest, state, $"alias {alias}", depth + 1);
                return null;
            }

            if (!argv[0].Known && KnownBasename(argv[0].Text))
            {
                // "$(go env GOPATH)/bin/golangci-lint": only the folder is known at run time; the program is named.
                argv[0] = argv[0] with { Known = true };
            }
            Emit(argv, redirects, assignments, origin, depth, state, input);
            if (!argv[0].Known)
            {
                Opaque($"the command name '{argv[0].Text}' is known only at run time");
                return null;
            }
            var name = argv[0].Text[(argv[0].Text.LastIndexOf('/') + 1)..];
            if (DisguisedName.IsDisguised(name))
            {
                Opaque($"the command name '{name}' has look-alike or invisible characters");
            }
            var args = argv.Skip(1).ToList();
            if (state.Functions.TryGetValue(argv[0].Text, out var body))
            {
                if (depth < MaxReparseDepth)
                {
                    var saved = state.Positional;
                    state.Positional = args;
                    Command(body, source, state, $"function {argv[0].Text}", depth + 1, input, piped);
                    state.Positional = saved;
                }
                else
                {
                    Opaque("functions call each other too deeply to evaluate");
                }
                return null;
            }
            Builtin(name, args, state, depth, input);
            return StreamOutput.Of(argv, input, state);
        }

        private static bool KnownBasename(string text)
        {
            var slash = text.LastIndexOf('/');
            if (slash < 0 || slash == text.Length - 1 || text.IndexOf(')', slash) >= 0 || text.IndexOf('}', slash) >= 0)
            {
                return false;
            }
            foreach (var c in text.AsSpan(slash + 1))
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+'))
                {
                    return false;
                }
            }
            return true;
        }

        private void Builtin(string name, List<ShellWord> args, ShellState state, int depth, string? input)
        {
            switch (name)
            {
                case "eval":
                    if (args.All(a => a.Known))
                    {
                        Reparse(string.Join(' ', args.Select(a => a.Text)), state, "eval", depth + 1);
                    }
                    else if (args.Count == 1 && EnvironmentSetup().IsMatch(args[0].Text))
                    {
                        // eval "$(ssh-agent -s)", eval "$(direnv hook bash)": the shell setup printed by a local tool.
                    }
                    else
                    {
                        Opaque("eval runs a value known only at run time");
                    }
                    break;
                case "alias":
                    foreach (var arg in args.Where(a => a.Known))
                    {
                        var equals = arg.Text.IndexOf('=', StringComparison.Ordinal);
                        if (equals > 0)
                        {
                            state.Aliases[arg.Text[..equals]] = arg.Text[(equals + 1)..];
                        }
                    }
                    break;
                case "unalias":
                    foreach (var arg in args)
                    {
                        state.Aliases.Remove(arg.Text);
                    }
                    break;
                case "unset":
                    foreach (var arg in args.Where(a => !a.Text.StartsWith('-')))
                    {
                        state.Variables.Remove(arg.Text);
                        state.Functions.Remove(arg.Text);
                    }
                    break;
                case "cd" or "pushd":
                    ChangeDirectory(state, args.FirstOrDefault(a => !a.Text.StartsWith('-') || a.Text == "-"));
                    break;
                case "read" or "mapfile" or "readarray" or "getopts":
                    foreach (var arg in args.Where(a => a.Known && !a.Text.StartsWith('-') && a.Text.Length > 0 && (char.IsLetter(a.Text[0]) || a.Text[0] == '_')))
                    {
                        state.Variables[arg.Text] = null;
                    }
                    break;
                case "export" or "declare" or "typeset" or "local" or "readonly":
                    foreach (var arg in args.Where(a => !a.Text.StartsWith('-')))
                    {
                        var equals = arg.Text.IndexOf('=', StringComparison.Ordinal);
                        if (equals > 0)
                        {
                            var value = arg.Text[(equals + 1)..];
                            state.Variables[arg.Text[..equals].TrimEnd('+')] = arg.Known ? ArrayOrScalar(value) : null;
                        }
                    }
                    break;
                case var shell when Shells.Contains(shell, StringComparer.Ordinal):
                    Shell(shell, args, state, depth, input);
                    break;
            }
        }

        /// <summary><c>declare -a x=(a b)</c> arrives as the text <c>(a b)</c>: split it back into elements.</summary>
        private static List<ShellWord> ArrayOrScalar(string value) =>
            value.Length > 1 && value[0] == '(' && value[^1] == ')'
                ? value[1..^1].Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(v => new ShellWord(v, true)).ToList()
                : [new ShellWord(value, true)];

        private void Shell(string shell, List<ShellWord> args, ShellState state, int depth, string? input)
        {
            var i = shell == "busybox" && args.Count > 0 ? 1 : 0;
            var name = shell == "busybox" && args.Count > 0 ? args[0].Text : shell;
            if (!Shells.Contains(name, StringComparer.Ordinal))
            {
                return;
            }
            for (; i < args.Count; i++)
            {
                var arg = args[i].Text;
                if (arg == "-c" || (arg.StartsWith('-') && !arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('c', StringComparison.Ordinal)))
                {
                    if (i + 1 < args.Count && args[i + 1].Known)
                    {
                        Reparse(args[i + 1].Text, state.Clone(), $"{name} -c", depth + 1);
                    }
                    else
                    {
                        Opaque($"{name} -c runs a value known only at run time");
                    }
                    return;
                }
                if (arg is "-s" or "-" or "--" or "-i" or "-l" or "--login" or "--norc" or "--noprofile" or "-e" or "-x" or "-u" or "-o" or "+o" || arg.StartsWith('-'))
                {
                    continue;
                }
                // A script file: what it does depends on a file governance cannot see here.
                return;
            }
            if (input is not null)
            {
                Reparse(input, state.Clone(), $"stdin of {name}", depth + 1);
            }
            else
            {
                Opaque($"{name} reads commands from an input known only at run time");
            }
        }

        private void Reparse(string text, ShellState state, string origin, int depth)
        {
            if (depth > MaxReparseDepth)
            {
                Opaque($"code nested in code more than {MaxReparseDepth} levels deep was not evaluated");
                return;
            }
            var parsed = ShellParser.Parse(text);
            if (parsed.Script is not { } tree)
            {
                Opaque($"code run by {origin} could not be parsed ({parsed.Error})");
                return;
            }
            List(tree, text, state, origin, depth);
        }

        private static void ChangeDirectory(ShellState state, ShellWord? target)
        {
            if (target is null)
            {
                (state.WorkingDirectory, state.WorkingDirectoryKnown, state.InTemporaryDirectory) = ("~", true, false);
                return;
            }
            if (!target.Known || target.Text == "-")
            {
                (state.WorkingDirectoryKnown, state.InTemporaryDirectory) = (false, false);
                return;
            }
            var path = target.Text;
            if (!path.StartsWith('/') && !path.StartsWith('~'))
            {
                if (!state.WorkingDirectoryKnown || state.WorkingDirectory is null)
                {
                    state.WorkingDirectoryKnown = false;
                    return;
                }
                path = state.WorkingDirectory.TrimEnd('/') + "/" + path;
            }
            var previous = state.WorkingDirectory;
            state.InTemporaryDirectory = path is "/tmp" or "/var/tmp" || path.StartsWith("/tmp/", StringComparison.Ordinal) || path.StartsWith("/var/tmp/", StringComparison.Ordinal)
                ? !path.Contains("/..", StringComparison.Ordinal)
                : state.InTemporaryDirectory && previous is not null && !path.Contains("..", StringComparison.Ordinal) && path.StartsWith(previous, StringComparison.Ordinal);
            state.WorkingDirectory = path;
            state.WorkingDirectoryKnown = true;
        }

        private void Emit(List<ShellWord> argv, List<EvaluatedRedirect> redirects, Dictionary<string, ShellWord> assignments, string origin, int depth, ShellState state,
            string? stdin)
        {
            if (Commands.Count >= MaxCommands)
            {
                Opaque("the command is too large to evaluate completely");
                return;
            }
            Commands.Add(new EvaluatedCommand(argv.ToArray(), redirects.ToArray(), assignments, origin, depth,
                state.WorkingDirectoryKnown ? state.WorkingDirectory : null, state.InTemporaryDirectory, stdin)
            { Pipeline = _pipeline, Stage = _stage });
        }

        // ---- assignments ---------------------------------------------------------------------------------------------

        private IReadOnlyList<ShellWord>? AssignedValue(Assignment assignment, string source, ShellState state, string origin, int depth)
        {
            if (assignment.Elements is { } elements)
            {
                var words = new List<ShellWord>();
                foreach (var element in elements)
                {
                    words.AddRange(Expand(element.Value, source, state, origin, depth));
                }
                return words;
            }
            if (assignment.Value is not { } value)
            {
                return [new ShellWord("", true)];
            }
            var joined = Join(Expand(value, source, state, origin, depth, split: false));
            return joined.Known ? [joined] : null;
        }

        private static void Assign(ShellState state, Assignment assignment, IReadOnlyList<ShellWord>? value)
        {
            if (assignment.Index is not null)
            {
                // One element of an array: the array as a whole is no longer known exactly.
                state.Variables[assignment.Name] = value is null || !state.Variables.TryGetValue(assignment.Name, out var old) || old is null
                    ? null
                    : old.Concat(value).ToArray();
                return;
            }
            if (assignment.Append && state.Variables.TryGetValue(assignment.Name, out var previous))
            {
                state.Variables[assignment.Name] = previous is null || value is null ? null
                    : assignment.Elements is not null ? previous.Concat(value).ToArray()
                    : [new ShellWord(string.Concat(previous.Select(p => p.Text)) + string.Concat(value.Select(v => v.Text)), true)];
                return;
            }
            state.Variables[assignment.Name] = value;
        }

        // ---- words ---------------------------------------------------------------------------------------------------

        private static ShellWord Join(IReadOnlyList<ShellWord> fields) =>
            fields.Count == 1 ? fields[0] : new ShellWord(string.Join(' ', fields.Select(f => f.Text)), fields.All(f => f.Known));

        private void Parts(IReadOnlyList<WordPart> parts, string source, ShellState state, string origin, int depth) =>
            Expand(new Word(parts), source, state, origin, depth);

        /// <summary>A field being built: its text so far and whether every piece of it is known.</summary>
        private sealed class Field
        {
            public StringBuilder Text { get; } = new();

            public bool Known { get; set; } = true;

            public bool Started { get; set; }
        }

        /// <summary>
        /// Expands a word into fields: parameters, arrays, substitutions (whose commands are evaluated as they are met) and
        /// brace expansion; unquoted known values are split at blanks. Globs stay as patterns.
        /// </summary>
        private List<ShellWord> Expand(Word word, string source, ShellState state, string origin, int depth, bool split = true)
        {
            var fields = new List<Field> { new() };
            foreach (var part in word.Parts)
            {
                ExpandPart(part, source, state, origin, depth, fields, quoted: false, split);
            }
            var result = fields.Where(f => f.Started || f.Text.Length > 0).Select(f => new ShellWord(f.Text.ToString(), f.Known)).ToList();
            if (result.Count == 0 && (word.IsQuoted || !split))
            {
                result.Add(new ShellWord("", true));
            }
            if (split && result.Count == 1 && result[0].Known && !word.IsQuoted && result[0].Text.Contains('{', StringComparison.Ordinal))
            {
                return BraceExpand(result[0].Text).Select(t => new ShellWord(t, true)).ToList();
            }
            return result;
        }

        private void ExpandPart(WordPart part, string source, ShellState state, string origin, int depth, List<Field> fields, bool quoted, bool split)
        {
            var field = fields[^1];
            switch (part)
            {
                case LiteralPart literal:
                    field.Text.Append(literal.Text);
                    field.Started = true;
                    break;
                case SingleQuotedPart single:
                    field.Text.Append(single.Text);
                    field.Started = true;
                    break;
                case DoubleQuotedPart dq:
                    field.Started = true;
                    foreach (var inner in dq.Parts)
                    {
                        ExpandPart(inner, source, state, origin, depth, fields, quoted: true, split);
                    }
                    break;
                case ParameterExpansionPart parameter:
                    AppendValues(Parameter(parameter, source, state, origin, depth), RawText(part, source), fields, quoted, split,
                        multiple: parameter.Index?.StaticValue is "@" || parameter.Name == "@");
                    break;
                case CommandSubstitutionPart substitution:
                    var sub = state.Clone();
                    var output = SubstitutionOutput(substitution.Body, source, sub, depth);
                    AppendValues(output is null ? null : [new ShellWord(output.TrimEnd('\n'), true)], RawText(part, source), fields, quoted, split, multiple: false);
                    break;
                case ProcessSubstitutionPart process:
                    List(process.Body, source, state.Clone(), "process substitution", depth + 1);
                    // The value is a /dev/fd path, but what a reader of it gets is the substitution's output: keep it as written,
                    // so "bash <(curl …)" still shows what the shell runs.
                    field.Text.Append(RawText(part, source));
                    field.Known = false;
                    field.Started = true;
                    break;
                case ArithmeticExpansionPart arithmetic:
                    foreach (var inner in arithmetic.Parts)
                    {
                        if (inner is not LiteralPart)
                        {
                            ExpandPart(inner, source, state, origin, depth, [new Field()], quoted: true, split);
                        }
                    }
                    field.Text.Append(RawText(part, source));
                    field.Known = false;
                    field.Started = true;
                    break;
                case ArrayLiteralPart array:
                    var elements = array.Elements.SelectMany(e => Expand(e.Value, source, state, origin, depth)).ToList();
                    field.Text.Append('(').Append(string.Join(' ', elements.Select(e => e.Text))).Append(')');
                    field.Known &= elements.All(e => e.Known);
                    field.Started = true;
                    break;
            }
        }

        private static string RawText(ShellNode node, string source) =>
            node.Start >= 0 && node.End <= source.Length && node.Start <= node.End ? source[node.Start..node.End] : "$?";

        private static void AppendValues(IReadOnlyList<ShellWord>? values, string raw, List<Field> fields, bool quoted, bool split, bool multiple)
        {
            var field = fields[^1];
            if (values is null)
            {
                field.Text.Append(raw);
                field.Known = false;
                field.Started = true;
                return;
            }
            if (quoted && !multiple)
            {
                field.Text.Append(string.Join(' ', values.Select(v => v.Text)));
                field.Known &= values.All(v => v.Known);
                field.Started = true;
                return;
            }
            var pieces = quoted || !split
                ? values.ToList()
                : values.SelectMany(v => v.Text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(t => new ShellWord(t, v.Known))).ToList();
            for (var i = 0; i < pieces.Count; i++)
            {
                if (i > 0)
                {
                    fields.Add(new Field());
                    field = fields[^1];
                }
                field.Text.Append(pieces[i].Text);
                field.Known &= pieces[i].Known;
                field.Started = true;
            }
        }

        private string? SubstitutionOutput(CommandList body, string source, ShellState state, int depth)
        {
            var before = Commands.Count;
            List(body, source, state, "substitution", depth + 1);
            // The output is known when the substitution is one pipeline whose last command's output is known.
            if (body.Items is [{ Command.Pipelines: [var pipeline] }] && Commands.Count > before)
            {
                string? output = null;
                var index = before;
                foreach (var command in pipeline.Commands)
                {
                    if (command is not SimpleCommand || index >= Commands.Count)
                    {
                        return null;
                    }
                    var evaluated = Commands[index++];
                    output = StreamOutput.Of(evaluated.Arguments, evaluated.StdinText ?? output, state);
                }
                return output;
            }
            return null;
        }

        private IReadOnlyList<ShellWord>? Parameter(ParameterExpansionPart parameter, string source, ShellState state, string origin, int depth)
        {
            if (parameter.Index is { } indexWord)
            {
                Expand(indexWord, source, state, origin, depth);
            }
            IReadOnlyList<ShellWord>? value;
            var set = true;
            if (parameter.Name is "@" or "*")
            {
                value = state.Positional;
            }
            else if (parameter.Name.All(char.IsAsciiDigit))
            {
                var n = int.Parse(parameter.Name, CultureInfo.InvariantCulture);
                value = n == 0 ? [new ShellWord("bash", true)] : n <= state.Positional.Count ? [state.Positional[n - 1]] : [];
                set = n == 0 || n <= state.Positional.Count;
            }
            else if (parameter.Name == "HOME" && !state.Variables.ContainsKey("HOME"))
            {
                value = [new ShellWord("~", true)];
            }
            else if (parameter.Name == "PWD" && !state.Variables.ContainsKey("PWD"))
            {
                value = state.WorkingDirectoryKnown && state.WorkingDirectory is { } cwd ? [new ShellWord(cwd, true)] : null;
            }
            else if (state.Variables.TryGetValue(parameter.Name, out var assigned))
            {
                value = assigned;
            }
            else
            {
                // Not assigned by the command: the environment's value, unknown here.
                value = null;
                set = false;
            }

            if (parameter.Indirect)
            {
                return value is [{ Known: true } target] && state.Variables.TryGetValue(target.Text, out var pointed) ? pointed : null;
            }
            if (value is not null && parameter.Index?.StaticValue is { } index && index is not ("@" or "*"))
            {
                value = int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < value.Count ? [value[i]] : null;
            }
            if (parameter.Length)
            {
                return value is null ? null : [new ShellWord((value.Count == 1 ? value[0].Text.Length : value.Count).ToString(CultureInfo.InvariantCulture), true)];
            }
            var argument = parameter.Argument is { } argumentWord ? Expand(argumentWord, source, state, origin, depth, split: false) : null;
            switch (parameter.Operator)
            {
                case null:
                    return value;
                case ":-" or "-" or ":=" or "=":
                    // An unset variable takes the default: the case an agent builds on purpose.
                    var empty = value is not null && (value.Count == 0 || (parameter.Operator.StartsWith(':') && value.All(v => v is { Known: true, Text.Length: 0 })));
                    if (!set || empty)
                    {
                        if (parameter.Operator.EndsWith('=') && argument is not null)
                        {
                            state.Variables[parameter.Name] = argument;
                        }
                        return argument;
                    }
                    return value;
                case ":+" or "+":
                    return !set ? [new ShellWord("", true)] : value is null ? null : argument;
                case "^^" or ",," or "^" or ",":
                    return value?.Select(v => v with
                    {
                        Text = parameter.Operator switch
                        {
                            "^^" => v.Text.ToUpperInvariant(),
                            ",," => v.Text.ToLowerInvariant(),
                            "^" => v.Text.Length == 0 ? v.Text : char.ToUpperInvariant(v.Text[0]) + v.Text[1..],
                            _ => v.Text.Length == 0 ? v.Text : char.ToLowerInvariant(v.Text[0]) + v.Text[1..],
                        }
                    }).ToArray();
                case "#" or "##" or "%" or "%%" or "/" or "//" when value is [{ Known: true } only] && argument is [{ Known: true } pattern]:
                    return [new ShellWord(Trim(only.Text, parameter.Operator, pattern.Text), true)];
                case ":" when value is [{ Known: true } text] && argument is [{ Known: true } range]:
                    return Substring(text.Text, range.Text) is { } piece ? [new ShellWord(piece, true)] : null;
                default:
                    return null;
            }
        }

        private static string? Substring(string text, string range)
        {
            var pieces = range.Split(':');
            if (!int.TryParse(pieces[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
            {
                return null;
            }
            offset = offset < 0 ? Math.Max(0, text.Length + offset) : Math.Min(offset, text.Length);
            var length = text.Length - offset;
            if (pieces.Length > 1 && !int.TryParse(pieces[1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out length))
            {
                return null;
            }
            length = length < 0 ? Math.Max(0, text.Length - offset + length) : Math.Min(length, text.Length - offset);
            return text.Substring(offset, length);
        }

        /// <summary>${x#p} ${x##p} ${x%p} ${x%%p} ${x/p/r} ${x//p/r} with literal patterns (and * at the open end for # and %).</summary>
        private static string Trim(string value, string op, string pattern)
        {
            switch (op)
            {
                case "/" or "//":
                    var slash = pattern.IndexOf('/', StringComparison.Ordinal);
                    var (find, replace) = slash < 0 ? (pattern, "") : (pattern[..slash], pattern[(slash + 1)..]);
                    if (find.Length == 0)
                    {
                        return value;
                    }
                    if (op == "//")
                    {
                        return value.Replace(find, replace, StringComparison.Ordinal);
                    }
                    var at = value.IndexOf(find, StringComparison.Ordinal);
                    return at < 0 ? value : value[..at] + replace + value[(at + find.Length)..];
                case "#" or "##":
                    if (pattern.EndsWith('*'))
                    {
                        var stem = pattern[..^1];
                        var cut = op == "#" ? value.IndexOf(stem, StringComparison.Ordinal) : value.LastIndexOf(stem, StringComparison.Ordinal);
                        return cut < 0 ? value : value[(cut + stem.Length)..];
                    }
                    return value.StartsWith(pattern, StringComparison.Ordinal) ? value[pattern.Length..] : value;
                default:
                    if (pattern.StartsWith('*'))
                    {
                        var stem = pattern[1..];
                        var cut = op == "%" ? value.LastIndexOf(stem, StringComparison.Ordinal) : value.IndexOf(stem, StringComparison.Ordinal);
                        return cut < 0 ? value : value[..cut];
                    }
                    return value.EndsWith(pattern, StringComparison.Ordinal) ? value[..^pattern.Length] : value;
            }
        }

        /// <summary>{a,b}c → ac bc, and {1..3}; at most 256 results, else the word as written.</summary>
        private static List<string> BraceExpand(string text)
        {
            var results = new List<string> { text };
            for (var round = 0; round < 8; round++)
            {
                var next = new List<string>();
                var changed = false;
                foreach (var item in results)
                {
                    var expanded = ExpandOne(item);
                    changed |= expanded.Count != 1 || expanded[0] != item;
                    next.AddRange(expanded);
                }
                if (next.Count > 256)
                {
                    return [text];
                }
                results = next;
                if (!changed)
                {
                    break;
                }
            }
            return results;
        }

        private static List<string> ExpandOne(string text)
        {
            var open = -1;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '{' && (i == 0 || text[i - 1] != '$'))
                {
                    open = i;
                }
                else if (text[i] == '}' && open >= 0)
                {
                    var inner = text[(open + 1)..i];
                    var (prefix, suffix) = (text[..open], text[(i + 1)..]);
                    if (inner.Contains(',', StringComparison.Ordinal))
                    {
                        return inner.Split(',').Select(alternative => prefix + alternative + suffix).ToList();
                    }
                    var range = inner.Split("..");
                    if (range.Length == 2 && int.TryParse(range[0], out var from) && int.TryParse(range[1], out var to) && Math.Abs(to - from) < 256)
                    {
                        var step = from <= to ? 1 : -1;
                        var items = new List<string>();
                        for (var n = from; n != to + step; n += step)
                        {
                            items.Add(prefix + n.ToString(CultureInfo.InvariantCulture) + suffix);
                        }
                        return items;
                    }
                    open = -1;
                }
            }
            return [text];
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\$\((?:ssh-agent(?:\s+-[sc])?|direnv\s+(?:hook|export)\s+\w+|(?:pyenv|rbenv|nodenv|goenv|jenv|plenv|pyenv\s+virtualenv)\s+(?:init|virtualenv-init)(?:\s+-)?(?:\s+\w+)?|(?:/\S+/)?brew\s+shellenv|(?:starship|zoxide|mise|rtx|atuin)\s+(?:init|activate)\s+\w+(?:\s+--\S+)*|fnm\s+env(?:\s+--\S+)*|conda\s+shell\.\w+\s+hook|opam\s+env(?:\s+--\S+)*|keychain\s+--eval(?:\s+[\w.-]+)*|dircolors(?:\s+-b)?(?:\s+\S+)?|thefuck\s+--alias|(?:gh|kubectl|helm|npm|rustup|poetry)\s+completions?(?:\s+-s)?(?:\s+\w+)?|luarocks\s+path)\)$", System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex EnvironmentSetup();
}
