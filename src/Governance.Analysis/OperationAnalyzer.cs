using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Decisions;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Evaluation;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;
using Governance.Analysis.Shell;

namespace Governance.Analysis;

/// <summary>
/// Turns an operation into what it would really do (<see cref="OperationAnalysis"/>): the commands a shell line
/// executes, the effects of each and the classified paths they touch; for file edits, the target and the content.
/// Compiled code on the hot path: bounded work, never throws.
/// </summary>
public static partial class OperationAnalyzer
{
    private const int MaxNestedScans = 16;
    private const int MaxScript = 256 * 1024;

    private static readonly HashSet<string> CodeInterpreters = new(StringComparer.Ordinal)
    {
        "python", "python2", "python3", "pypy", "pypy3", "node", "nodejs", "deno", "bun", "perl", "ruby", "php", "pwsh", "powershell", "lua", "jshell", "osascript",
        "awk", "gawk", "mawk", "nawk", "Rscript", "R",
    };

    public static OperationAnalysis Analyze(Operation operation, AnalysisScope scope)
    {
        var run = new Run(scope);
        try
        {
            if (operation.Command.Length > 0)
            {
                run.Shell(operation.Command, null, 0);
            }
            switch (operation.Kind)
            {
                case OperationKinds.FileEdit or OperationKinds.FileWrite when operation.FilePath.Length > 0:
                    run.FileChange(operation);
                    break;
                case OperationKinds.FileRead when operation.FilePath.Length > 0:
                    run.Effects.Add(EffectKinds.Read, operation.ToolName + " " + operation.FilePath, [run.Effects.Path(operation.FilePath)], "", "tool");
                    break;
                case OperationKinds.ToolCall:
                    run.Equivalent = McpToolEffects.Collect(operation, run.Effects, scope.Settings.McpTools, run.ForTool(operation));
                    break;
            }
        }
        catch (Exception ex)
        {
            // Fault isolation: an analysis bug leaves the result incomplete and says so, which personas treat as unknown code.
            run.Opaque.Add("analysis fault: " + ex.GetType().Name);
        }
        return run.Result();
    }

    private sealed class Run(AnalysisScope scope)
    {
        /// <summary>What a catalogued MCP tool amounts to is analysed like the shell line, code or file change it equals.</summary>
        private sealed class ToolSink(Run run, Operation operation) : McpToolEffects.ISink
        {
            public void Shell(string commandLine) => run.Shell(commandLine, "mcp", 1);

            public void Code(string code, string line) => run.Code(code, line, 1);

            public void FileChange(string path, string content) =>
                run.FileChange(operation with { Kind = OperationKinds.FileWrite, FilePath = path, Content = content, OldContent = "", Command = "" });
        }

        public McpToolEffects.ISink ForTool(Operation operation) => new ToolSink(this, operation);

        public EffectBuilder Effects { get; } = new(scope);
        public List<AnalyzedCommand> Commands { get; } = [];
        public List<string> Opaque { get; } = [];
        public ToolEquivalent? Equivalent { get; set; }
        private int _nestedScans;

        public OperationAnalysis Result()
        {
            if (Opaque.Count > 0)
            {
                Effects.Add(EffectKinds.OpaqueExecution, Commands.Count > 0 ? Commands[0].Text : "", null, string.Join("; ", Opaque.Take(4)));
            }
            var targets = new List<PathTarget>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var effect in Effects.Effects)
            {
                foreach (var target in effect.Targets)
                {
                    if (seen.Add(target.Raw + "\0" + target.Path))
                    {
                        targets.Add(target);
                    }
                }
            }
            return new OperationAnalysis
            {
                Commands = Commands,
                Effects = Effects.Effects,
                Targets = targets,
                OpaqueReasons = Opaque.Distinct(StringComparer.Ordinal).ToArray(),
                Equivalent = Equivalent,
            };
        }

        public void Shell(string text, string? origin, int depth)
        {
            var shell = ShellCommandAnalyzer.Analyze(text);
            foreach (var reason in shell.OpaqueReasons)
            {
                Opaque.Add(reason);
            }
            foreach (var command in shell.Commands)
            {
                var line = command.ToString();
                if (command.Name == "cd" || command.Name == "pushd")
                {
                    Effects.ChangeDirectory(CommandArguments.Operands(command.Arguments).FirstOrDefault());
                }
                RememberWrittenScript(command);
                if (ScriptRun(command) is { } script && _nestedScans++ < MaxNestedScans)
                {
                    Shell(script, "script", depth + 1);
                }
                if (Commands.Count < 1000)
                {
                    Commands.Add(new AnalyzedCommand
                    {
                        Name = command.Name,
                        Arguments = command.Arguments,
                        Text = line,
                        Wrappers = command.Wrappers,
                        Code = command.InlineCode ?? command.Heredoc ?? "",
                        Origin = origin ?? OriginName(command.Origin),
                        Depth = depth + command.Depth,
                    });
                }
                Collect(command, line);
                if (command.Origin == CommandOrigin.Xargs && command.Pipeline >= 0)
                {
                    XargsInput(command, shell.Commands, depth);
                }
                if (command.InlineCode is { } code && CodeInterpreters.Contains(Family(command.Name)))
                {
                    Code(code, line, depth + 1);
                }
                EditedContent(command, line);
                if (command.Name == "parallel")
                {
                    Parallel(command, depth);
                }
            }
            NetworkEffects.Collect(shell.Commands, Effects.Effects, c => c.ToString(), Effects);
            if (DisguisedName.Skeleton(text) is { } shown && _nestedScans++ < MaxNestedScans)
            {
                Shell(shown, "look-alike", depth);
            }
            var scanned = text.Length > ShellCommandAnalyzer.MaxInputLength ? text[..ShellCommandAnalyzer.MaxInputLength] : text;
            if (ForkBomb(scanned) is { } bomb)
            {
                Effects.Add(EffectKinds.ForkBomb, bomb, null, bomb);
            }
        }

        public void FileChange(Operation operation)
        {
            var target = Effects.Path(operation.FilePath);
            var tool = (operation.ToolName.Length > 0 ? operation.ToolName : operation.Kind) + " " + operation.FilePath;
            Effects.Add(EffectKinds.Write, tool, [target], "", "tool");
            ContentScanner.Collect(operation.FilePath, operation.Content, operation.OldContent, tool, target, Effects);
            var content = operation.Content;
            if (content.Length == 0)
            {
                return;
            }
            if (content.Length > MaxScript)
            {
                if (IsShellScript(operation.FilePath, content) || IsCodeFile(operation.FilePath))
                {
                    Opaque.Add($"script longer than {MaxScript / 1024} KB was not analysed");
                }
                return;
            }
            // Tool switching: a script written now is run later, so judge what it would run.
            if (IsShellScript(operation.FilePath, content))
            {
                Shell(content, "script", 1);
            }
            else if (IsCodeFile(operation.FilePath))
            {
                Code(content, tool, 1);
            }
        }

        // sed -i 's/verify=True/verify=False/' f and cat > f <<EOF ... EOF change a file's content like Edit would.
        private void EditedContent(ExecutedCommand command, string line)
        {
            string? content = null;
            IEnumerable<string> files = [];
            if (command.Name is "sed" or "perl" && command.Arguments.Any(a => a.StartsWith("-i", StringComparison.Ordinal) || a.StartsWith("-pi", StringComparison.Ordinal) || a == "--in-place"))
            {
                var operands = CommandArguments.Operands(command.Arguments, ["-e", "--expression"]);
                content = string.Join('\n', command.Arguments.Where((a, i) => i > 0 && command.Arguments[i - 1] is "-e" or "--expression").Concat(operands.Take(1)));
                files = operands.Skip(1);
            }
            else if (command.Name is "echo" or "printf" && command.Redirections.Any(r => r.Operator is ">" or ">>"))
            {
                content = string.Join(' ', CommandArguments.Operands(command.Arguments));
                files = command.Redirections.Where(r => r.Operator is ">" or ">>").Select(r => r.Target);
            }
            else if (command.Name is "cat" or "tee" && command.Heredoc is { } heredoc)
            {
                content = heredoc;
                files = command.Redirections.Where(r => r.Operator is ">" or ">>").Select(r => r.Target)
                    .Concat(command.Name == "tee" ? CommandArguments.Operands(command.Arguments) : []);
            }
            if (content is null)
            {
                return;
            }
            foreach (var file in files)
            {
                var target = Effects.Path(file);
                ContentScanner.Collect(target.Path, content, "", line, target, Effects);
            }
        }

        // printf 'rm -rf ~' > x.sh && sh x.sh: what a command line writes into a file and then runs is judged as run.
        private readonly Dictionary<string, string> _writtenScripts = new(StringComparer.Ordinal);

        private void RememberWrittenScript(ExecutedCommand command)
        {
            var body = command.Name switch
            {
                "echo" or "printf" => string.Join(' ', CommandArguments.Operands(command.Arguments)).Replace("\\n", "\n", StringComparison.Ordinal),
                "cat" or "tee" when command.Heredoc is not null => command.Heredoc,
                _ => null,
            };
            if (body is null)
            {
                return;
            }
            var files = command.Redirections.Where(r => r.Operator is ">" or ">>").Select(r => r.Target);
            if (command.Name == "tee")
            {
                files = files.Concat(CommandArguments.Operands(command.Arguments));
            }
            foreach (var file in files)
            {
                var path = Effects.Path(file).Path;
                _writtenScripts[path] = _writtenScripts.TryGetValue(path, out var before) ? before + "\n" + body : body;
            }
        }

        private string? ScriptRun(ExecutedCommand command)
        {
            if (_writtenScripts.Count == 0 || command.Name.Length == 0)
            {
                return null;
            }
            if (InterpreterCatalog.IsShell(command.Name) || command.Name is "source" or ".")
            {
                var operand = CommandArguments.Operands(command.Arguments).FirstOrDefault();
                return operand is not null && _writtenScripts.TryGetValue(Effects.Path(operand).Path, out var script) ? script : null;
            }
            // argv[0] is kept as a basename: "/tmp/x.sh" and "./x.sh" both arrive as "x.sh".
            foreach (var (path, script) in _writtenScripts)
            {
                if (path.EndsWith("/" + command.Name, StringComparison.Ordinal))
                {
                    return script;
                }
            }
            return null;
        }

        private void Collect(ExecutedCommand command, string line)
        {
            FileEffects.Collect(command, line, Effects);
            SystemEffects.Collect(command, line, Effects);
            GitEffects.Collect(command, line, Effects);
            DatabaseEffects.Collect(command, line, Effects);
        }

        private void Code(string code, string line, int depth)
        {
            if (depth > 4 || _nestedScans++ > MaxNestedScans)
            {
                Opaque.Add("interpreter code nested too deeply to analyse");
                return;
            }
            var findings = InterpreterCodeScanner.Scan(code);
            foreach (var shell in findings.ShellCommands)
            {
                Shell(shell.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal), "interpreter", depth);
            }
            var recursive = findings.RecursiveDeletes.Where(p => p.Length > 0).ToArray();
            if (recursive.Length > 0)
            {
                Effects.Add(EffectKinds.Delete, line, Effects.Paths(recursive), "interpreter", "recursive");
            }
            var single = findings.Deletes.Where(p => p.Length > 0).ToArray();
            if (single.Length > 0)
            {
                Effects.Add(EffectKinds.Delete, line, Effects.Paths(single), "interpreter");
            }
            var reads = findings.Reads.Where(p => p.Length > 0).ToArray();
            if (reads.Length > 0)
            {
                Effects.Add(EffectKinds.Read, line, Effects.Paths(reads), "interpreter");
            }
            var writes = findings.Writes.Where(p => p.Length > 0).ToArray();
            if (writes.Length > 0)
            {
                Effects.Add(EffectKinds.Write, line, Effects.Paths(writes), "interpreter");
                foreach (var device in Effects.Paths(writes).Where(t => t.IsDevice))
                {
                    Effects.Add(EffectKinds.DiskWrite, line, [device], "interpreter");
                }
            }
            if (findings.RunsFetchedCode)
            {
                Effects.Add(EffectKinds.PipeToShell, line, null, "interpreter runs fetched code");
            }
            if (findings.SendsEnvironment)
            {
                Effects.Add(EffectKinds.Upload, line, null, "interpreter", "environment");
            }
            if (findings.KillsAll)
            {
                Effects.Add(EffectKinds.KillProcesses, line, null, "interpreter", "all", "force");
            }
            if (findings.WritesFiles)
            {
                // python -c "...open(p,'w').write(s.replace('verify=True','verify=False'))" edits a file like Edit would,
                // even when the file name is held in a variable.
                var targets = writes.Length > 0 ? Effects.Paths(writes) : [Effects.Path("$UNKNOWN_FILE")];
                foreach (var target in targets)
                {
                    ContentScanner.Collect(target.Path, code, "", line, target, Effects);
                }
            }
            if (findings.ForkBomb)
            {
                Effects.Add(EffectKinds.ForkBomb, line, null, "fork in an endless loop");
            }
            DatabaseEffects.Statements(code, line, Effects);
        }

        // "echo ~ | xargs rm -rf", "find / -name x | xargs rm": the items come from the first command of the pipeline.
        private void XargsInput(ExecutedCommand command, IReadOnlyList<ExecutedCommand> all, int depth)
        {
            var producer = all.FirstOrDefault(c => c.Pipeline == command.Pipeline && c.Stage == 0 && !ReferenceEquals(c, command));
            if (producer is null)
            {
                return;
            }
            List<string> items = producer.Name switch
            {
                "echo" or "printf" => CommandArguments.Operands(producer.Arguments).SelectMany(a => a.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).ToList(),
                "find" => producer.Arguments.TakeWhile(a => !a.StartsWith('-') && a is not ("(" or "!")).DefaultIfEmpty(".").ToList(),
                "ls" => CommandArguments.Operands(producer.Arguments).DefaultIfEmpty("*").Select(a => a == "." ? "*" : a).ToList(),
                // "kubectl get ns -o name | xargs kubectl delete" deletes what was listed: namespaces.
                "kubectl" when producer.Arguments.Count > 1 && producer.Arguments[0] == "get" => [producer.Arguments[1]],
                // Anything else: the items are whatever the producer prints ("docker ps -q | xargs docker kill").
                _ => ["$(" + producer + ")"],
            };
            if (command.Name is "kill" && producer.Name is "pgrep" or "ps" && CommandArguments.Value(producer.Arguments, "-u", "--user") is not null &&
                CommandArguments.Operands(producer.Arguments, ["-u", "--user", "-o"]).Count == 0)
            {
                Effects.Add(EffectKinds.KillProcesses, command.ToString(), null, "every process of a user", "all");
            }
            if (items.Count == 0)
            {
                return;
            }
            if (InterpreterCatalog.IsShell(command.Name) && command.InlineCode is { } script && script.Contains("{}", StringComparison.Ordinal) &&
                _nestedScans++ < MaxNestedScans)
            {
                // ls -d ~/* | xargs -I{} sh -c 'rm -rf "{}"': the script runs once per item, with the item in place of {}.
                Shell(script.Replace("{}", items[0], StringComparison.Ordinal), "xargs", depth + 1);
            }
            var withItems = new ExecutedCommand
            {
                Name = command.Name,
                Arguments = [.. command.Arguments, .. items.Take(32)],
                Redirections = [],
                Assignments = command.Assignments,
                Wrappers = command.Wrappers,
                Origin = command.Origin,
                Depth = command.Depth,
            };
            var line = withItems.ToString();
            FileEffects.Collect(withItems, line, Effects);
            if (Commands.Count < 1000)
            {
                Commands.Add(new AnalyzedCommand { Name = withItems.Name, Arguments = withItems.Arguments, Text = line, Wrappers = withItems.Wrappers, Origin = "xargs" });
            }
        }

        private void Parallel(ExecutedCommand command, int depth)
        {
            var args = command.Arguments;
            var separator = args.ToList().IndexOf(":::");
            if (separator <= 0)
            {
                return;
            }
            var template = string.Join(' ', args.Take(separator).SkipWhile(a => a.StartsWith('-')));
            foreach (var value in args.Skip(separator + 1).Take(16))
            {
                if (_nestedScans++ > MaxNestedScans)
                {
                    return;
                }
                Shell(template.Contains("{}", StringComparison.Ordinal) ? template.Replace("{}", value, StringComparison.Ordinal) : template + " " + value, "parallel", depth + 1);
            }
        }
    }

    // python3.12 → python, node → node: the interpreter family whose code the scanner understands.
    private static string Family(string name)
    {
        var stem = name.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.');
        return stem is "python" or "pypy" or "ruby" or "perl" or "php" or "node" or "lua" ? stem : name;
    }

    private static bool IsShellScript(string path, string content) =>
        path.EndsWith(".sh", StringComparison.Ordinal) || path.EndsWith(".bash", StringComparison.Ordinal) || path.EndsWith(".zsh", StringComparison.Ordinal) ||
        path.EndsWith(".command", StringComparison.Ordinal) || ShellShebang().IsMatch(content);

    private static bool IsCodeFile(string path) =>
        path.EndsWith(".py", StringComparison.Ordinal) || path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".mjs", StringComparison.Ordinal) ||
        path.EndsWith(".cjs", StringComparison.Ordinal) || path.EndsWith(".ts", StringComparison.Ordinal) || path.EndsWith(".rb", StringComparison.Ordinal) ||
        path.EndsWith(".pl", StringComparison.Ordinal) || path.EndsWith(".php", StringComparison.Ordinal);

    private static bool InsideQuotes(string text, int index)
    {
        var single = false;
        var @double = false;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\'' && !@double)
            {
                single = !single;
            }
            else if (text[i] == '"' && !single)
            {
                @double = !@double;
            }
        }
        return single || @double;
    }

    private static string OriginName(CommandOrigin origin) => origin switch
    {
        CommandOrigin.ShellReentry => "shell-reentry",
        CommandOrigin.FindExec => "find-exec",
        _ => origin.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A function that pipes itself into itself in the background (<c>:(){ :|:&amp; };:</c>, <c>bomb(){ bomb|bomb&amp; }</c>),
    /// outside quotes: returns the definition up to the '&amp;'. The regex finds definitions; the self-reference is
    /// checked here, since the linear-time engine has no backreferences.
    /// </summary>
    private static string? ForkBomb(string text)
    {
        for (var at = 0; at < text.Length;)
        {
            var definition = ForkBombDefinition().Match(text, at);
            if (!definition.Success)
            {
                return null;
            }
            var name = definition.Groups["n"];
            var body = definition.Groups["b"];
            if (SelfPipeEnd(body.ValueSpan, name.ValueSpan) is var end and > 0 && !InsideQuotes(text, name.Index))
            {
                return text[name.Index..(body.Index + end)];
            }
            at = name.Index + 1;
        }
        return null;
    }

    /// <summary>The end (after the '&amp;') of "name | name &amp;" starting within the first 200 characters of the body, or 0.</summary>
    private static int SelfPipeEnd(ReadOnlySpan<char> body, ReadOnlySpan<char> name)
    {
        for (var start = body.IndexOf(name); start is >= 0 and <= 200;)
        {
            var i = SkipSpaces(body, start + name.Length);
            if (i < body.Length && body[i] == '|')
            {
                i = SkipSpaces(body, i + 1);
                if (body[i..].StartsWith(name))
                {
                    i = SkipSpaces(body, i + name.Length);
                    if (i < body.Length && body[i] == '&')
                    {
                        return i + 1;
                    }
                }
            }
            var next = body[(start + 1)..].IndexOf(name);
            start = next < 0 ? -1 : start + 1 + next;
        }
        return 0;
    }

    private static int SkipSpaces(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        return i;
    }

    [GeneratedRegex(@"(?:^|[^\w:.])(?<n>[\w:.]{1,64})\s*\(\)\s*\{(?<b>[^}]{0,300})", RegexOptions.NonBacktracking)]
    private static partial Regex ForkBombDefinition();

    [GeneratedRegex(@"^#!\s*(?:/usr)?(?:/local)?/bin/(?:env\s+)?(?:ba|z|da|k)?sh\b", RegexOptions.NonBacktracking)]
    private static partial Regex ShellShebang();
}
