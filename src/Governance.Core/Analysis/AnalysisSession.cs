namespace Governance.Core.Analysis;

/// <summary>State of one <see cref="ShellCommandAnalyzer.Analyze"/> call: the commands found, opaque reasons, variables and work budget.</summary>
internal sealed class AnalysisSession
{
    private const int MaxCommands = 10_000;
    private const int MaxReasons = 64;

    // Evaluating a payload walks every earlier segment; long pipelines would make that quadratic.
    private const int MaxEvaluatedPipeline = 32;

    // Nested analyses re-read substrings; cap the total so adversarial nesting stays linear-ish.
    private const long MaxLexedChars = 4L * 1024 * 1024;

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "esac",
    };

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private readonly int _maxDepth;
    private readonly List<ExecutedCommand> _commands = [];
    private readonly List<string> _reasons = [];
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
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

        var problems = new List<string>();
        var tokens = ShellLexer.Lex(text, problems);
        foreach (var problem in problems)
        {
            Opaque(problem);
        }

        Walk(tokens, origin, depth);
    }

    public static string Basename(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    public static bool IsAssignmentWord(ShellToken word)
    {
        // The name part must be unquoted: "FOO"=1 is a command, not an assignment.
        var eq = word.Raw.IndexOf('=');
        return eq > 0 && CommandWrappers.TrySplitAssignment(word.Raw[..(eq + 1)], out _, out _);
    }

    private void Walk(List<ShellToken> tokens, CommandOrigin baseOrigin, int depth)
    {
        var structure = new List<CommandOrigin>();
        var pipeline = new List<PipelineSegment>();
        var current = new PipelineSegment();
        var skipToSeparator = false;

        // case WORD in PATTERN) BODY ;; ... esac: the subject and patterns are data, bodies are commands.
        var openCases = 0;
        var inCaseHeader = false;
        var inCasePattern = false;

        void Flush()
        {
            if (!current.IsEmpty)
            {
                pipeline.Add(current);
            }

            current = new PipelineSegment();
            skipToSeparator = false;
            if (pipeline.Count == 0)
            {
                return;
            }

            var producer = pipeline.Count > 1 ? "pipe:" + FirstCommandName(pipeline[0]) : null;
            _pipelines++;
            for (var i = 0; i < pipeline.Count; i++)
            {
                var origin = baseOrigin != CommandOrigin.Direct ? baseOrigin
                    : structure.Count > 0 ? structure[^1]
                    : i > 0 ? CommandOrigin.Pipeline
                    : CommandOrigin.Direct;
                var stdin = i > 0 ? producer : null;
                ProcessSimple(pipeline, i, origin, depth, stdin);
            }

            pipeline = [];
        }

        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (token.Kind == ShellTokenKind.Redirection)
            {
                current.Redirections.Add(token);
                continue;
            }

            if (inCaseHeader || inCasePattern)
            {
                var plain = token.Kind == ShellTokenKind.Word && !token.IsQuoted && !token.HasExpansion;
                if (inCaseHeader && plain && token.Text == "in")
                {
                    inCaseHeader = false;
                    inCasePattern = true;
                }
                else if (inCasePattern && plain && token.Text == "esac")
                {
                    inCasePattern = false;
                    openCases--;
                }
                else if (inCasePattern && token.Kind == ShellTokenKind.Operator && token.Text == ")")
                {
                    inCasePattern = false;
                }

                continue;
            }

            if (token.Kind == ShellTokenKind.Word)
            {
                if (skipToSeparator)
                {
                    continue;
                }

                if (openCases > 0 && current.Words.Count == 0 && !token.IsQuoted && token.Text == "esac")
                {
                    Flush();
                    openCases--;
                    continue;
                }

                if (current.Words.Count == 0 && !token.IsQuoted && !token.HasExpansion)
                {
                    if (token.Text == "{")
                    {
                        structure.Add(CommandOrigin.Group);
                        continue;
                    }

                    if (token.Text == "}" && structure.Count > 0 && structure[^1] == CommandOrigin.Group)
                    {
                        Flush();
                        structure.RemoveAt(structure.Count - 1);
                        continue;
                    }

                    if (Keywords.Contains(token.Text))
                    {
                        continue;
                    }

                    if (token.Text == "case")
                    {
                        Flush();
                        openCases++;
                        inCaseHeader = true;
                        continue;
                    }

                    if (token.Text is "for" or "select" or "function")
                    {
                        // Loop headers are data; their bodies follow a separator and are analysed.
                        skipToSeparator = true;
                        continue;
                    }
                }

                current.Words.Add(token);
                continue;
            }

            switch (token.Text)
            {
                case "|" or "|&":
                    pipeline.Add(current);
                    current = new PipelineSegment();
                    break;
                case "(":
                    if (current.Words.Count > 0 && t + 1 < tokens.Count && tokens[t + 1].Text == ")")
                    {
                        // Function definition "name()": the body that follows is analysed as if it ran.
                        t++;
                        current = new PipelineSegment();
                        break;
                    }

                    if (!current.IsEmpty)
                    {
                        Opaque("unexpected (");
                    }

                    Flush();
                    structure.Add(CommandOrigin.Subshell);
                    break;
                case ")":
                    Flush();
                    if (structure.Count == 0)
                    {
                        Opaque("unbalanced )");
                    }
                    else
                    {
                        structure.RemoveAt(structure.Count - 1);
                    }

                    break;
                case ";;" when openCases > 0:
                    Flush();
                    inCasePattern = true;
                    break;
                default:
                    Flush();
                    break;
            }
        }

        Flush();
        if (openCases > 0)
        {
            Opaque("unclosed case statement");
        }

        if (structure.Count > 0)
        {
            Opaque("unclosed ( or {");
        }
    }

    private static string FirstCommandName(PipelineSegment segment)
    {
        var argv = new List<string>();
        foreach (var w in segment.Words)
        {
            if (argv.Count > 0 || !IsAssignmentWord(w))
            {
                argv.Add(w.Text);
            }
        }

        var p = 0;
        var scratch = new Dictionary<string, string>(StringComparer.Ordinal);
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

    private void RunSubstitutions(ShellToken? token, int depth)
    {
        if (token?.Substitutions is null)
        {
            return;
        }

        foreach (var body in token.Substitutions)
        {
            AnalyzeText(body, CommandOrigin.Substitution, depth + 1);
        }
    }

    private void ProcessSimple(List<PipelineSegment> pipeline, int index, CommandOrigin origin, int depth, string? stdinFrom)
    {
        var segment = pipeline[index];
        var words = segment.Words;
        foreach (var w in words)
        {
            RunSubstitutions(w, depth);
        }

        var redirections = new List<Redirection>(segment.Redirections.Count);
        string? heredoc = null;
        foreach (var r in segment.Redirections)
        {
            RunSubstitutions(r.Target, depth);
            RunSubstitutions(r, depth);
            var target = r.Target is { HasExpansion: true } word && TryResolveWord(word, out var resolvedTarget) ? resolvedTarget : r.Target?.Text ?? "";
            redirections.Add(new Redirection(r.Text, target, r.FileDescriptor));
            if (r.Text is "<<" or "<<-")
            {
                heredoc = r.HeredocBody;
                stdinFrom ??= "heredoc";
            }
            else if (r.Text == "<<<")
            {
                stdinFrom ??= "herestring";
            }
        }

        var assignments = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < words.Count && IsAssignmentWord(words[i]))
        {
            CommandWrappers.TrySplitAssignment(words[i].Text, out var key, out var value);
            assignments[key] = value;
            i++;
        }

        if (i == words.Count)
        {
            for (var k = 0; k < i; k++)
            {
                RememberVariable(words[k]);
            }

            if (redirections.Count > 0)
            {
                // "> file" truncates a file: report it so callers can see the write.
                Emit(new ExecutedCommand
                {
                    Name = "",
                    Arguments = [],
                    Redirections = redirections,
                    Assignments = assignments,
                    Wrappers = [],
                    Origin = origin,
                    Depth = depth,
                    StdinFrom = stdinFrom,
                    Heredoc = heredoc,
                });
            }

            return;
        }

        var argv = new List<string>(words.Count - i);
        var first = words[i];
        if (!first.HasExpansion)
        {
            argv.Add(first.Text);
        }
        else if (TryResolveWord(first, out var resolved) || TryEvaluateSubstitution(first, out resolved))
        {
            // Unquoted expansion in command position is field-split, so "X='rm -rf'; $X ~" runs rm.
            argv.AddRange(resolved.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            Opaque("command name is not static: " + Shorten(first.Raw));
            argv.Add(first.Text);
        }

        for (var k = i + 1; k < words.Count; k++)
        {
            argv.Add(words[k].HasExpansion ? ResolveArgument(words[k]) : words[k].Text);
        }

        if (argv.Count == 0)
        {
            Opaque("command name expands to nothing: " + Shorten(first.Raw));
            return;
        }

        var context = new CommandContext(redirections, heredoc, segment.StdinText(), stdinFrom, pipeline, index, _pipelines);
        Execute(argv, assignments, origin, depth, context);
    }

    private void RememberVariable(ShellToken word)
    {
        CommandWrappers.TrySplitAssignment(word.Text, out var key, out var value);
        if (!word.HasExpansion)
        {
            _variables[key] = value;
            return;
        }

        // Y=$X or X=$(printf ...) can still be known; anything else makes the variable unknown, so "$X" stays opaque.
        var valueToken = new ShellToken
        {
            Kind = ShellTokenKind.Word,
            Text = value,
            Raw = word.Raw[(word.Raw.IndexOf('=') + 1)..],
            HasExpansion = true,
            Substitutions = word.Substitutions,
        };
        if (TryResolveWord(valueToken, out var resolved) || TryEvaluateSubstitution(valueToken, out resolved))
        {
            _variables[key] = resolved;
        }
        else if (valueToken.Raw.TrimStart('"').StartsWith("$(mktemp", StringComparison.Ordinal) || valueToken.Raw.TrimStart('"').StartsWith("`mktemp", StringComparison.Ordinal))
        {
            // d=$(mktemp -d) names a fresh temporary path; what is later done to "$d" stays in the temp directory.
            _variables[key] = "/tmp/tmp.mktemp";
        }
        else
        {
            _variables.Remove(key);
        }
    }

    // "$X", "$(printf '\x2e\x65\x6e\x76')" and "of=$DEV/x" become what they evaluate to when every part is known.
    private string ResolveArgument(ShellToken word)
    {
        if (TryResolveWord(word, out var value) || TryEvaluateSubstitution(word, out value))
        {
            return value;
        }
        return word.Substitutions is { Count: > 0 } ? word.Text : ExpandKnown(word.Text);
    }

    private string ExpandKnown(string text)
    {
        if (text.IndexOf('$') < 0 || text.Length > 4096)
        {
            return text;
        }
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }
            if (!VariableReference.TryRead(text, i, out var name, out var end) || !_variables.TryGetValue(name, out var known))
            {
                // Unknown: keep the reference so path analysis can tell the value is not known.
                builder.Append(text[i]);
                continue;
            }
            builder.Append(known);
            i = end - 1;
        }
        return builder.ToString();
    }

    private bool TryResolveWord(ShellToken word, out string value)
    {
        value = "";
        var raw = word.Raw.Length > 1 && word.Raw[0] == '"' && word.Raw[^1] == '"' ? word.Raw[1..^1] : word.Raw;
        if (raw.Length < 2 || raw[0] != '$')
        {
            return false;
        }

        var name = raw.Length > 3 && raw[1] == '{' && raw[^1] == '}' ? raw[2..^1] : raw[1..];
        if (name.Length == 0 || name.AsSpan().ContainsAnyExcept(NameChars))
        {
            return false;
        }

        return _variables.TryGetValue(name, out value!);
    }

    private static bool TryEvaluateSubstitution(ShellToken word, out string value)
    {
        value = "";
        if (word.Substitutions is not { Count: 1 })
        {
            return false;
        }

        var raw = word.Raw.Length > 1 && word.Raw[0] == '"' && word.Raw[^1] == '"' ? word.Raw[1..^1] : word.Raw;
        if (!(raw.StartsWith("$(", StringComparison.Ordinal) && raw.EndsWith(')')) && !(raw.StartsWith('`') && raw.EndsWith('`')))
        {
            return false;
        }

        // Only a single literal pipeline such as $(echo cm0= | base64 -d) or $(printf '\x72\x6d') can be evaluated.
        var problems = new List<string>();
        var tokens = ShellLexer.Lex(word.Substitutions[0], problems);
        var segments = new List<PipelineSegment> { new() };
        foreach (var t in tokens)
        {
            if (t.Kind == ShellTokenKind.Operator && t.Text == "|")
            {
                segments.Add(new PipelineSegment());
            }
            else if (t.Kind == ShellTokenKind.Operator)
            {
                return false;
            }
            else if (t.Kind == ShellTokenKind.Word)
            {
                segments[^1].Words.Add(t);
            }
            else
            {
                segments[^1].Redirections.Add(t);
            }
        }

        var (text, _) = PayloadDecoder.Evaluate(segments, segments.Count);
        if (text is null || problems.Count > 0)
        {
            return false;
        }

        value = text.TrimEnd('\n');
        return true;
    }

    private void Execute(List<string> argv, Dictionary<string, string> assignments, CommandOrigin origin, int depth, CommandContext context)
    {
        var wrappers = new List<string>();
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

        if (InterpreterCatalog.IsShell(name))
        {
            var (script, readsStdin) = InterpreterCatalog.ParseShell(args);
            if (script is not null)
            {
                Emit(Build(name, args, assignments, wrappers, origin, depth, context, script));
                AnalyzeText(script, CommandOrigin.ShellReentry, depth + 1);
                return;
            }

            if (readsStdin && stdinText is not null)
            {
                Emit(Build(name, args, assignments, wrappers, CommandOrigin.Interpreter, depth, context, stdinText));
                AnalyzeText(stdinText, CommandOrigin.ShellReentry, depth + 1);
                return;
            }

            if (readsStdin && context.Index > MaxEvaluatedPipeline)
            {
                Opaque("pipeline too long to evaluate what a shell reads");
            }
            else if (readsStdin && context.Index > 0)
            {
                var (decoded, encoded) = PayloadDecoder.Evaluate(context.Pipeline, context.Index);
                Emit(Build(name, args, assignments, wrappers, origin, depth, context, decoded));
                if (decoded is not null)
                {
                    AnalyzeText(decoded, encoded ? CommandOrigin.Decoded : CommandOrigin.ShellReentry, depth + 1);
                }
                else if (encoded)
                {
                    Opaque("encoded payload piped to a shell");
                }

                return;
            }

            Emit(Build(name, args, assignments, wrappers, origin, depth, context, null));
            return;
        }

        if (InterpreterCatalog.TryParseInterpreter(name, args, out var code, out var interpreterReadsStdin))
        {
            if (code is null && interpreterReadsStdin)
            {
                code = stdinText;
                if (code is null && context.Index is > 0 and <= MaxEvaluatedPipeline)
                {
                    var (decoded, encoded) = PayloadDecoder.Evaluate(context.Pipeline, context.Index);
                    code = decoded;
                    if (decoded is null && encoded)
                    {
                        Opaque("encoded payload piped to an interpreter");
                    }
                }
            }

            Emit(Build(name, args, assignments, wrappers, code is null ? origin : CommandOrigin.Interpreter, depth, context, code));
            return;
        }

        Emit(Build(name, args, assignments, wrappers, origin, depth, context, StdinOfDataClient(name, context)));
        if (name == "eval" && args.Count > 0)
        {
            AnalyzeText(string.Join(' ', args), CommandOrigin.Eval, depth + 1);
        }
        else if (name == "find")
        {
            RunFindExec(args, depth);
        }
    }

    // Database clients and crontab run what they read: keep the text a pipeline feeds them (echo "DROP ..." | psql).
    private static string? StdinOfDataClient(string name, CommandContext context)
    {
        if (!InterpreterCatalog.ReadsStatements(name))
        {
            return null;
        }

        if (context.StdinText is not null || context.Index is <= 0 or > MaxEvaluatedPipeline)
        {
            return context.StdinText;
        }

        return PayloadDecoder.Evaluate(context.Pipeline, context.Index).Text;
    }

    private void RunFindExec(List<string> args, int depth)
    {
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

            var empty = new CommandContext([], null, null, null, [], 0, -1);
            Execute(command, new Dictionary<string, string>(StringComparer.Ordinal), CommandOrigin.FindExec, depth + 1, empty);
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
        Stage = context.Index,
    };

    private void Emit(ExecutedCommand command)
    {
        if (_commands.Count >= MaxCommands)
        {
            Opaque("too many commands; the rest was not analysed");
            return;
        }
        if (Governance.Analysis.Evaluation.DisguisedName.IsDisguised(command.Name))
        {
            Opaque("command name has look-alike or invisible characters: " + Shorten(command.Name));
        }

        _commands.Add(command);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
