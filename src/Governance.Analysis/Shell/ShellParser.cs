using System.Globalization;
using System.Text;

namespace Governance.Analysis.Shell;

/// <summary>
/// Parses POSIX sh and bash into a syntax tree: lists, and-or lists, pipelines, subshells, groups, functions,
/// if/while/until/for/select/case, <c>[[ ]]</c> and <c>(( ))</c>, arrays, here-documents and here-strings, process
/// substitution, arithmetic, redirections and assignments. It never runs anything and never throws on input: a script
/// it cannot read gives a <see cref="ShellSyntaxError"/>. Time is linear in the input times the nesting depth, which
/// is capped at <see cref="MaxDepth"/>.
/// </summary>
public static class ShellParser
{
    /// <summary>Nesting (substitutions, groups, quotes within expansions) deeper than this is a syntax error, not a stack overflow.</summary>
    public const int MaxDepth = 128;

    public static ShellParseResult Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parser = new Parser(source, 0, source.Length, 0, 0);
        try
        {
            return new ShellParseResult(parser.ParseScript(), null);
        }
        catch (ShellSyntaxException ex)
        {
            return new ShellParseResult(null, ErrorAt(source, ex.Offset, ex.Message));
        }
    }

    private static ShellSyntaxError ErrorAt(string source, int offset, string message)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new ShellSyntaxError(offset, line, offset - lineStart + 1, message);
    }

    private sealed class ShellSyntaxException(int offset, string message) : Exception(message)
    {
        public int Offset { get; } = offset;
    }

    /// <summary>What ends the word being read, besides blanks and operators.</summary>
    private enum WordMode
    {
        /// <summary>A command word: blanks and the shell's operator characters end it.</summary>
        Command,

        /// <summary>The right side of <c>=~</c> in <c>[[ ]]</c>: parentheses and <c>|</c> belong to the regex.</summary>
        Regex,

        /// <summary>The argument of <c>${name op word}</c>: only the closing brace ends it; blanks are text.</summary>
        BraceArgument,

        /// <summary>The index of <c>name[index]=</c>: the closing bracket or a blank ends it.</summary>
        Index,

        /// <summary>The index of <c>${name[index]}</c>, an arithmetic expression: only the closing bracket ends it.</summary>
        ExpansionIndex,
    }

    private sealed class Parser(string source, int start, int end, int depth, int offsetShift)
    {
        private static readonly string[] DeclarationBuiltins = ["declare", "local", "export", "readonly", "typeset", "nameref"];
        private static readonly string[] ListTerminators = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

        private readonly string _s = source;
        private readonly List<Redirect> _pendingHeredocs = [];
        private int _end = end;
        private int _pos = start;
        private int _depth = depth;

        private bool AtEnd => _pos >= _end;

        private char Cur => _pos < _end ? _s[_pos] : '\0';

        private char At(int k) => _pos + k < _end ? _s[_pos + k] : '\0';

        // Offsets of a sub-parse of unescaped backquote text point near, not exactly at, the source.
        private int Offset(int position) => position + offsetShift;

        private ShellSyntaxException Error(string message, int? at = null) => new(Offset(at ?? _pos), message);

        private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';

        // NUL ends a word too: a script holding one does not parse, so it is never read as something harmless.
        private static bool IsMeta(char c) => c is '\0' or ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

        private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

        private static bool IsNameChar(char c) => IsNameStart(c) || c is >= '0' and <= '9';

        private static bool IsName(string text) => text.Length > 0 && IsNameStart(text[0]) && text.All(IsNameChar);

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw Error($"nested more than {MaxDepth} levels deep");
            }
        }

        private void Leave() => _depth--;

        public CommandList ParseScript()
        {
            var list = ParseList();
            SkipBlanksAndNewlines();
            if (!AtEnd)
            {
                throw Error($"unexpected '{Describe()}'");
            }
            return list;
        }

        private string Describe()
        {
            if (AtEnd)
            {
                return "end of input";
            }
            if (IsMeta(_s[_pos]))
            {
                return _s[_pos] == '\n' ? "newline" : _s[_pos] == '\0' ? "NUL" : _s.Substring(_pos, At(1) == _s[_pos] && _s[_pos] is ';' or '&' or '|' ? 2 : 1);
            }
            var length = 1;
            while (_pos + length < _end && length < 20 && !IsMeta(_s[_pos + length]))
            {
                length++;
            }
            return _s.Substring(_pos, length);
        }

        // ---- blanks, comments, newlines and the here-documents they end --------------------------------------------

        private void SkipBlanks()
        {
            while (!AtEnd)
            {
                var c = _s[_pos];
                if (IsBlank(c))
                {
                    _pos++;
                }
                else if (c == '\\' && At(1) == '\n')
                {
                    _pos += 2;
                }
                else if (c == '#')
                {
                    while (!AtEnd && _s[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else
                {
                    return;
                }
            }
        }

        private void SkipBlanksAndNewlines()
        {
            while (true)
            {
                SkipBlanks();
                if (Cur != '\n')
                {
                    return;
                }
                ConsumeNewline();
            }
        }

        private void ConsumeNewline()
        {
            _pos++;
            if (_pendingHeredocs.Count == 0)
            {
                return;
            }
            var pending = _pendingHeredocs.ToArray();
            _pendingHeredocs.Clear();
            foreach (var heredoc in pending)
            {
                ReadHeredocBody(heredoc);
            }
        }

        private void ReadHeredocBody(Redirect heredoc)
        {
            var delimiter = heredoc.Target.StaticValue ?? (offsetShift == 0 ? _s[heredoc.Target.Start..heredoc.Target.End] : "");
            var stripTabs = heredoc.Operator == RedirectOperator.HeredocStripTabs;
            var bodyStart = _pos;
            var bodyEnd = _end;
            var next = _end;
            var lineStart = _pos;
            while (lineStart < _end)
            {
                var newline = _s.IndexOf('\n', lineStart, _end - lineStart);
                var lineEnd = newline < 0 ? _end : newline;
                var text = lineStart;
                while (stripTabs && text < lineEnd && _s[text] == '\t')
                {
                    text++;
                }
                if (lineEnd - text == delimiter.Length && string.CompareOrdinal(_s, text, delimiter, 0, delimiter.Length) == 0)
                {
                    bodyEnd = lineStart;
                    next = newline < 0 ? _end : newline + 1;
                    break;
                }
                lineStart = newline < 0 ? _end : newline + 1;
            }
            heredoc.HeredocBody = heredoc.Target.IsQuoted
                ? new Word([new LiteralPart(_s[bodyStart..bodyEnd], Quoted: true) { Start = Offset(bodyStart), End = Offset(bodyEnd) }])
                {
                    Start = Offset(bodyStart),
                    End = Offset(bodyEnd),
                }
                : ParseHeredocText(bodyStart, bodyEnd);
            _pos = next;
        }

        private Word ParseHeredocText(int from, int to)
        {
            var (savedPos, savedEnd) = (_pos, _end);
            (_pos, _end) = (from, to);
            var parts = new List<WordPart>();
            var literal = new Literal(this);
            while (!AtEnd)
            {
                var c = _s[_pos];
                if (c == '\\' && At(1) is '$' or '`' or '\\' or '\n')
                {
                    if (At(1) != '\n')
                    {
                        literal.Begin(_pos);
                        literal.Text.Append(At(1));
                    }
                    _pos += 2;
                }
                else if (c == '$' || c == '`')
                {
                    literal.Flush(parts, _pos);
                    parts.Add(c == '$' ? ParseDollar(inDoubleQuotes: true) : ParseBackquote());
                }
                else
                {
                    literal.Begin(_pos);
                    literal.Text.Append(c);
                    _pos++;
                }
            }
            literal.Flush(parts, _pos);
            (_pos, _end) = (savedPos, savedEnd);
            return new Word(parts) { Start = Offset(from), End = Offset(to) };
        }

        // ---- lists ---------------------------------------------------------------------------------------------------

        private bool AtListEnd()
        {
            SkipBlanks();
            if (AtEnd)
            {
                return true;
            }
            var c = _s[_pos];
            return c == ')' || (c == ';' && At(1) is ';' or '&') || ListTerminators.Any(IsReservedAhead);
        }

        private CommandList ParseList()
        {
            Enter();
            var start = _pos;
            var items = new List<ListItem>();
            while (true)
            {
                SkipBlanksAndNewlines();
                if (AtListEnd())
                {
                    break;
                }
                var itemStart = _pos;
                var command = ParseAndOr();
                SkipBlanks();
                var background = false;
                var separated = true;
                if (Cur == '&' && At(1) != '&' && At(1) != '>')
                {
                    _pos++;
                    background = true;
                }
                else if (Cur == ';' && At(1) != ';' && At(1) != '&')
                {
                    _pos++;
                }
                else if (Cur == '\n')
                {
                    ConsumeNewline();
                }
                else
                {
                    separated = false;
                }
                items.Add(new ListItem(command, background) { Start = Offset(itemStart), End = command.End });
                if (!separated)
                {
                    break;
                }
            }
            Leave();
            return new CommandList(items) { Start = Offset(start), End = Offset(_pos) };
        }

        private AndOrList ParseAndOr()
        {
            var start = _pos;
            var pipelines = new List<Pipeline> { ParsePipeline() };
            var operators = new List<AndOrOperator>();
            while (true)
            {
                SkipBlanks();
                if (Cur == '&' && At(1) == '&')
                {
                    operators.Add(AndOrOperator.And);
                }
                else if (Cur == '|' && At(1) == '|')
                {
                    operators.Add(AndOrOperator.Or);
                }
                else
                {
                    break;
                }
                _pos += 2;
                SkipBlanksAndNewlines();
                pipelines.Add(ParsePipeline());
            }
            return new AndOrList(pipelines, operators) { Start = Offset(start), End = pipelines[^1].End };
        }

        private Pipeline ParsePipeline()
        {
            SkipBlanks();
            var start = _pos;
            var timed = false;
            var negated = false;
            while (true)
            {
                if (IsReservedAhead("time"))
                {
                    _pos += 4;
                    timed = true;
                    SkipBlanks();
                    if (Cur == '-' && At(1) == 'p' && IsMeta(At(2)))
                    {
                        _pos += 2;
                        SkipBlanks();
                    }
                }
                else if (Cur == '!' && IsMeta(At(1)))
                {
                    _pos++;
                    negated = !negated;
                    SkipBlanks();
                }
                else
                {
                    break;
                }
            }
            var commands = new List<ShellCommand>();
            if (timed && (AtEnd || Cur is ';' or '\n' or '&' or ')'))
            {
                return new Pipeline(commands, negated, timed) { Start = Offset(start), End = Offset(_pos) };
            }
            commands.Add(ParseCommand());
            while (true)
            {
                SkipBlanks();
                if (Cur != '|' || At(1) == '|')
                {
                    break;
                }
                _pos += At(1) == '&' ? 2 : 1;
                SkipBlanksAndNewlines();
                commands.Add(ParseCommand());
            }
            return new Pipeline(commands, negated, timed) { Start = Offset(start), End = commands[^1].End };
        }

        // ---- commands ------------------------------------------------------------------------------------------------

        private bool IsReservedAhead(string word)
        {
            if (_pos + word.Length > _end || string.CompareOrdinal(_s, _pos, word, 0, word.Length) != 0)
            {
                return false;
            }
            var after = _pos + word.Length < _end ? _s[_pos + word.Length] : '\0';
            return _pos + word.Length >= _end || IsBlank(after) || after is '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';
        }

        private void ExpectReserved(string word, string what)
        {
            SkipBlanksAndNewlines();
            if (!IsReservedAhead(word))
            {
                throw Error($"expected '{word}' {what}, found '{Describe()}'");
            }
            _pos += word.Length;
        }

        private void Expect(char c, string what)
        {
            SkipBlanksAndNewlines();
            if (Cur != c || AtEnd)
            {
                throw Error($"expected '{c}' {what}, found '{Describe()}'");
            }
            _pos++;
        }

        private ShellCommand ParseCommand()
        {
            SkipBlanks();
            var start = _pos;
            if (AtEnd)
            {
                throw Error("expected a command, found the end of the input");
            }
            ShellCommand command;
            var c = _s[_pos];
            if (c == '(' && At(1) == '(' && IsArithmeticAhead())
            {
                _pos += 2;
                command = new ArithmeticCommand(ParseArithmetic(start, "))"));
            }
            else if (c == '(')
            {
                _pos++;
                var body = ParseList();
                Expect(')', "to close the subshell");
                command = new Subshell(body);
            }
            else if (IsReservedAhead("{"))
            {
                _pos++;
                var body = ParseList();
                ExpectReserved("}", "to close the group");
                command = new BraceGroup(body);
            }
            else if (IsReservedAhead("if"))
            {
                command = ParseIf();
            }
            else if (IsReservedAhead("while") || IsReservedAhead("until"))
            {
                var until = c == 'u';
                _pos += 5;
                var condition = ParseList();
                ExpectReserved("do", "after the loop condition");
                var body = ParseList();
                ExpectReserved("done", "to close the loop");
                command = new LoopCommand(until, condition, body);
            }
            else if (IsReservedAhead("for") || IsReservedAhead("select"))
            {
                command = ParseFor();
            }
            else if (IsReservedAhead("case"))
            {
                command = ParseCase();
            }
            else if (IsReservedAhead("function"))
            {
                _pos += "function".Length;
                SkipBlanks();
                var nameStart = _pos;
                var name = ParseWord(WordMode.Command)?.StaticValue;
                if (string.IsNullOrEmpty(name))
                {
                    throw Error("expected a function name after 'function'", nameStart);
                }
                SkipBlanks();
                if (Cur == '(' && At(1) == ')')
                {
                    _pos += 2;
                }
                SkipBlanksAndNewlines();
                command = new FunctionDefinition(name, ParseCommand());
            }
            else if (IsReservedAhead("[["))
            {
                command = ParseTest();
            }
            else if (c is ';' or '&' or '|' or ')' || (c == '\n'))
            {
                throw Error($"expected a command, found '{Describe()}'");
            }
            else if (ListTerminators.Any(IsReservedAhead))
            {
                throw Error($"unexpected '{Describe()}'");
            }
            else
            {
                return ParseSimpleCommand();
            }
            var redirects = ParseTrailingRedirects();
            return command with { Start = Offset(start), End = Offset(_pos), Redirects = redirects };
        }

        private List<Redirect> ParseTrailingRedirects()
        {
            var redirects = new List<Redirect>();
            while (true)
            {
                SkipBlanks();
                if (TryRedirect() is not { } redirect)
                {
                    return redirects;
                }
                redirects.Add(redirect);
            }
        }

        private IfCommand ParseIf()
        {
            var branches = new List<IfBranch>();
            CommandList? otherwise = null;
            _pos += 2;
            while (true)
            {
                var branchStart = _pos;
                var condition = ParseList();
                ExpectReserved("then", "after the if condition");
                var body = ParseList();
                branches.Add(new IfBranch(condition, body) { Start = Offset(branchStart), End = Offset(_pos) });
                SkipBlanksAndNewlines();
                if (IsReservedAhead("elif"))
                {
                    _pos += 4;
                    continue;
                }
                if (IsReservedAhead("else"))
                {
                    _pos += 4;
                    otherwise = ParseList();
                }
                ExpectReserved("fi", "to close the if");
                return new IfCommand(branches, otherwise);
            }
        }

        private ShellCommand ParseFor()
        {
            var select = _s[_pos] == 's';
            _pos += select ? 6 : 3;
            SkipBlanks();
            if (!select && Cur == '(' && At(1) == '(')
            {
                var start = _pos;
                _pos += 2;
                var initializer = ParseArithmetic(start, ";");
                var condition = ParseArithmetic(_pos, ";");
                var step = ParseArithmetic(_pos, "))");
                SkipBlanks();
                if (Cur == ';')
                {
                    _pos++;
                }
                return new ArithmeticForCommand(initializer, condition, step, ParseLoopBody());
            }
            var nameStart = _pos;
            var name = ParseWord(WordMode.Command)?.StaticValue;
            if (name is null || !IsName(name))
            {
                throw Error($"expected a variable name after '{(select ? "select" : "for")}'", nameStart);
            }
            List<Word>? items = null;
            SkipBlanksAndNewlines();
            if (IsReservedAhead("in"))
            {
                _pos += 2;
                items = [];
                while (true)
                {
                    SkipBlanks();
                    if (AtEnd || Cur is ';' or '\n')
                    {
                        break;
                    }
                    items.Add(ParseWord(WordMode.Command) ?? throw Error($"unexpected '{Describe()}' in the word list"));
                }
            }
            SkipBlanks();
            if (Cur == ';')
            {
                _pos++;
            }
            return new ForCommand(name, items, ParseLoopBody(), select);
        }

        private CommandList ParseLoopBody()
        {
            SkipBlanksAndNewlines();
            if (IsReservedAhead("{"))
            {
                _pos++;
                var group = ParseList();
                ExpectReserved("}", "to close the loop body");
                return group;
            }
            ExpectReserved("do", "to open the loop body");
            var body = ParseList();
            ExpectReserved("done", "to close the loop");
            return body;
        }

        private CaseCommand ParseCase()
        {
            _pos += 4;
            SkipBlanks();
            var subject = ParseWord(WordMode.Command) ?? throw Error("expected a word after 'case'");
            ExpectReserved("in", "after the case word");
            var items = new List<CaseItem>();
            while (true)
            {
                SkipBlanksAndNewlines();
                if (IsReservedAhead("esac"))
                {
                    _pos += 4;
                    return new CaseCommand(subject, items);
                }
                if (AtEnd)
                {
                    throw Error("expected 'esac' to close the case");
                }
                var itemStart = _pos;
                if (Cur == '(')
                {
                    _pos++;
                }
                var patterns = new List<Word>();
                while (true)
                {
                    SkipBlanks();
                    patterns.Add(ParseWord(WordMode.Command) ?? throw Error($"expected a case pattern, found '{Describe()}'"));
                    SkipBlanks();
                    if (Cur == '|')
                    {
                        _pos++;
                        continue;
                    }
                    if (Cur == ')')
                    {
                        _pos++;
                        break;
                    }
                    throw Error($"expected ')' after the case pattern, found '{Describe()}'");
                }
                var body = ParseList();
                SkipBlanksAndNewlines();
                var terminator = "";
                foreach (var candidate in (string[])[";;&", ";;", ";&"])
                {
                    if (_pos + candidate.Length <= _end && string.CompareOrdinal(_s, _pos, candidate, 0, candidate.Length) == 0)
                    {
                        terminator = candidate;
                        _pos += candidate.Length;
                        break;
                    }
                }
                items.Add(new CaseItem(patterns, body, terminator) { Start = Offset(itemStart), End = Offset(_pos) });
                if (terminator.Length == 0)
                {
                    ExpectReserved("esac", "to close the case");
                    return new CaseCommand(subject, items);
                }
            }
        }

        private TestCommand ParseTest()
        {
            _pos += 2;
            var words = new List<Word>();
            var regexNext = false;
            while (true)
            {
                SkipBlanksAndNewlines();
                if (AtEnd)
                {
                    throw Error("expected ']]' to close '[['");
                }
                if (IsReservedAhead("]]"))
                {
                    _pos += 2;
                    return new TestCommand(words);
                }
                var start = _pos;
                var c = _s[_pos];
                string? op = (c, At(1)) switch
                {
                    ('&', '&') => "&&",
                    ('|', '|') => "||",
                    ('(', _) or (')', _) or ('<', _) or ('>', _) => c.ToString(),
                    _ => null,
                };
                if (op is not null && !regexNext)
                {
                    _pos += op.Length;
                    words.Add(new Word([new LiteralPart(op) { Start = Offset(start), End = Offset(_pos) }]) { Start = Offset(start), End = Offset(_pos) });
                    continue;
                }
                var word = ParseWord(regexNext ? WordMode.Regex : WordMode.Command) ?? throw Error($"unexpected '{Describe()}' in '[['");
                regexNext = word.StaticValue == "=~";
                words.Add(word);
            }
        }

        private ShellCommand ParseSimpleCommand()
        {
            var start = _pos;
            var assignments = new List<Assignment>();
            var words = new List<Word>();
            var redirects = new List<Redirect>();
            var declaration = false;
            while (true)
            {
                SkipBlanks();
                if (AtEnd)
                {
                    break;
                }
                if (TryRedirect() is { } redirect)
                {
                    redirects.Add(redirect);
                    continue;
                }
                var c = _s[_pos];
                if (IsMeta(c) && !(c is '<' or '>' && At(1) == '('))
                {
                    break;
                }
                if ((words.Count == 0 || declaration) && TryAssignment() is { } assignment)
                {
                    if (words.Count == 0)
                    {
                        assignments.Add(assignment);
                    }
                    else
                    {
                        words.Add(AsWord(assignment));
                    }
                    continue;
                }
                var word = ParseWord(WordMode.Command) ?? throw Error($"unexpected '{Describe()}'");
                if (words.Count == 0 && assignments.Count == 0 && redirects.Count == 0 && word.StaticValue is { } name && IsFunctionName(name)
                    && TryFunctionParentheses())
                {
                    SkipBlanksAndNewlines();
                    var body = ParseCommand();
                    return new FunctionDefinition(name, body) { Start = Offset(start), End = body.End };
                }
                words.Add(word);
                if (words.Count == 1 && word.StaticValue is { } first && DeclarationBuiltins.Contains(first, StringComparer.Ordinal))
                {
                    declaration = true;
                }
            }
            if (assignments.Count == 0 && words.Count == 0 && redirects.Count == 0)
            {
                throw Error($"expected a command, found '{Describe()}'");
            }
            return new SimpleCommand(assignments, words) { Start = Offset(start), End = Offset(_pos), Redirects = redirects };
        }

        private static bool IsFunctionName(string name) =>
            name.Length > 0 && !name.Contains('=', StringComparison.Ordinal) && !name.Contains('$', StringComparison.Ordinal)
            && name.All(c => !char.IsWhiteSpace(c) && c is not ('\'' or '"' or '`'));

        private bool TryFunctionParentheses()
        {
            var saved = _pos;
            SkipBlanks();
            if (Cur != '(')
            {
                _pos = saved;
                return false;
            }
            _pos++;
            SkipBlanks();
            if (Cur != ')')
            {
                _pos = saved;
                return false;
            }
            _pos++;
            return true;
        }

        private static Word AsWord(Assignment assignment)
        {
            var parts = new List<WordPart>
            {
                new LiteralPart(assignment.Name + (assignment.Append ? "+=" : "=")) { Start = assignment.Start, End = assignment.Start },
            };
            if (assignment.Elements is { } elements)
            {
                parts.Add(new ArrayLiteralPart(elements) { Start = assignment.Start, End = assignment.End });
            }
            else if (assignment.Value is { } value)
            {
                parts.AddRange(value.Parts);
            }
            return new Word(parts) { Start = assignment.Start, End = assignment.End };
        }

        private Assignment? TryAssignment()
        {
            var start = _pos;
            if (!IsNameStart(Cur))
            {
                return null;
            }
            var i = _pos;
            while (i < _end && IsNameChar(_s[i]))
            {
                i++;
            }
            var name = _s[_pos..i];
            Word? index = null;
            _pos = i;
            if (Cur == '[')
            {
                _pos++;
                try
                {
                    index = ParseWord(WordMode.Index);
                }
                catch (ShellSyntaxException)
                {
                    // Not an index after all (name[ followed by something unreadable): the word is a command word.
                    _pos = start;
                    return null;
                }
                if (Cur != ']')
                {
                    _pos = start;
                    return null;
                }
                _pos++;
            }
            var append = Cur == '+' && At(1) == '=';
            if (!append && Cur != '=')
            {
                _pos = start;
                return null;
            }
            _pos += append ? 2 : 1;
            if (Cur == '(' && !AtEnd)
            {
                var elements = ParseArrayElements();
                return new Assignment(name, index, append, null, elements) { Start = Offset(start), End = Offset(_pos) };
            }
            var value = IsMeta(Cur) ? new Word([]) { Start = Offset(_pos), End = Offset(_pos) } : ParseWord(WordMode.Command);
            return new Assignment(name, index, append, value, null) { Start = Offset(start), End = Offset(_pos) };
        }

        private List<ArrayElement> ParseArrayElements()
        {
            var open = _pos;
            _pos++;
            Enter();
            var elements = new List<ArrayElement>();
            while (true)
            {
                SkipBlanksAndNewlines();
                if (AtEnd)
                {
                    throw Error("expected ')' to close the array", open);
                }
                if (Cur == ')')
                {
                    _pos++;
                    Leave();
                    return elements;
                }
                var start = _pos;
                Word? key = null;
                if (Cur == '[')
                {
                    var saved = _pos;
                    _pos++;
                    key = ParseWord(WordMode.Index);
                    if (Cur == ']' && At(1) == '=')
                    {
                        _pos += 2;
                    }
                    else
                    {
                        (key, _pos) = (null, saved);
                    }
                }
                var value = key is not null && IsMeta(Cur) ? new Word([]) { Start = Offset(_pos), End = Offset(_pos) }
                    : ParseWord(WordMode.Command) ?? throw Error($"unexpected '{Describe()}' in the array");
                elements.Add(new ArrayElement(key, value) { Start = Offset(start), End = Offset(_pos) });
            }
        }

        // ---- redirections --------------------------------------------------------------------------------------------

        private Redirect? TryRedirect()
        {
            var start = _pos;
            int? descriptor = null;
            string? variable = null;
            var i = _pos;
            while (i < _end && char.IsAsciiDigit(_s[i]))
            {
                i++;
            }
            if (i > _pos && i < _end && _s[i] is '<' or '>')
            {
                descriptor = int.TryParse(_s.AsSpan(_pos, i - _pos), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) ? fd : int.MaxValue;
                _pos = i;
            }
            else if (Cur == '{')
            {
                var close = i + 1;
                while (close < _end && IsNameChar(_s[close]))
                {
                    close++;
                }
                if (close > i + 1 && close + 1 < _end && _s[close] == '}' && _s[close + 1] is '<' or '>')
                {
                    variable = _s[(i + 1)..close];
                    _pos = close + 1;
                }
            }
            var op = ReadRedirectOperator();
            if (op is null)
            {
                _pos = start;
                return null;
            }
            SkipBlanks();
            var target = ParseWord(WordMode.Command) ?? throw Error($"expected a file or word after the redirection, found '{Describe()}'");
            var redirect = new Redirect(descriptor, variable, op.Value, target) { Start = Offset(start), End = Offset(_pos) };
            if (redirect.IsHeredoc)
            {
                _pendingHeredocs.Add(redirect);
            }
            return redirect;
        }

        private RedirectOperator? ReadRedirectOperator()
        {
            var (c, n, n2) = (Cur, At(1), At(2));
            if (AtEnd)
            {
                return null;
            }
            (RedirectOperator Op, int Length)? found = c switch
            {
                '&' when n == '>' && n2 == '>' => (RedirectOperator.AppendOutputAndError, 3),
                '&' when n == '>' => (RedirectOperator.OutputAndError, 2),
                '<' when n == '<' && n2 == '<' => (RedirectOperator.HereString, 3),
                '<' when n == '<' && n2 == '-' => (RedirectOperator.HeredocStripTabs, 3),
                '<' when n == '<' => (RedirectOperator.Heredoc, 2),
                '<' when n == '>' => (RedirectOperator.ReadWrite, 2),
                '<' when n == '&' => (RedirectOperator.DuplicateInput, 2),
                '<' when n != '(' => (RedirectOperator.Input, 1),
                '>' when n == '>' => (RedirectOperator.Append, 2),
                '>' when n == '|' => (RedirectOperator.Clobber, 2),
                '>' when n == '&' => (RedirectOperator.DuplicateOutput, 2),
                '>' when n != '(' => (RedirectOperator.Output, 1),
                _ => null,
            };
            if (found is not { } f)
            {
                return null;
            }
            _pos += f.Length;
            return f.Op;
        }

        // ---- words ---------------------------------------------------------------------------------------------------

        /// <summary>Collects literal characters between the other parts of a word.</summary>
        private sealed class Literal(Parser parser)
        {
            private int _start = -1;

            public StringBuilder Text { get; } = new();

            public bool Quoted { get; set; }

            public void Begin(int position)
            {
                if (_start < 0)
                {
                    _start = position;
                }
            }

            public void Flush(List<WordPart> parts, int position)
            {
                if (Text.Length > 0 || _start >= 0)
                {
                    if (Text.Length > 0)
                    {
                        parts.Add(new LiteralPart(Text.ToString(), Quoted) { Start = parser.Offset(_start), End = parser.Offset(position) });
                    }
                    Text.Clear();
                    Quoted = false;
                    _start = -1;
                }
            }
        }

        private static bool EndsWord(char c, WordMode mode) => mode switch
        {
            WordMode.Command => IsMeta(c),
            WordMode.Regex => c is '\0' or ' ' or '\t' or '\r' or '\n' or ';' or '&',
            WordMode.BraceArgument => c is '\0' or '}',
            WordMode.Index => c == ']' || IsMeta(c),
            WordMode.ExpansionIndex => c is '\0' or ']',
            _ => true,
        };

        /// <summary>Reads one word at the position; null when there is none (an operator or the end is next).</summary>
        private Word? ParseWord(WordMode mode)
        {
            var start = _pos;
            Enter();
            var parts = new List<WordPart>();
            var literal = new Literal(this);
            var regexParens = 0;
            while (!AtEnd)
            {
                var c = _s[_pos];
                if (mode == WordMode.Regex && c == '(')
                {
                    regexParens++;
                }
                else if (mode == WordMode.Regex && c == ')' && regexParens > 0)
                {
                    regexParens--;
                }
                else if (c is '<' or '>' && At(1) == '(' && mode == WordMode.Command)
                {
                    literal.Flush(parts, _pos);
                    parts.Add(ParseProcessSubstitution());
                    continue;
                }
                else if (EndsWord(c, mode) || (mode == WordMode.Regex && c == ')'))
                {
                    break;
                }
                switch (c)
                {
                    case '\\':
                        if (At(1) == '\n')
                        {
                            _pos += 2;
                            continue;
                        }
                        if (_pos + 1 >= _end)
                        {
                            literal.Begin(_pos);
                            literal.Text.Append('\\');
                            _pos++;
                            continue;
                        }
                        literal.Flush(parts, _pos);
                        literal.Begin(_pos);
                        literal.Quoted = true;
                        literal.Text.Append(_s[_pos + 1]);
                        _pos += 2;
                        literal.Flush(parts, _pos);
                        continue;
                    case '\'':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseSingleQuoted());
                        continue;
                    case '"':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseDoubleQuoted(_pos, 1));
                        continue;
                    case '$':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseDollar(inDoubleQuotes: false));
                        continue;
                    case '`':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseBackquote());
                        continue;
                    case '?' or '*' or '+' or '@' or '!' when At(1) == '(' && mode == WordMode.Command:
                        literal.Begin(_pos);
                        ReadExtendedGlob(literal.Text);
                        continue;
                    case '{' when mode == WordMode.BraceArgument:
                        // ${x:-{a}}: the shell pairs braces inside the argument.
                        literal.Begin(_pos);
                        literal.Text.Append(ReadBalanced('{', '}'));
                        continue;
                }
                literal.Begin(_pos);
                literal.Text.Append(c);
                _pos++;
            }
            literal.Flush(parts, _pos);
            Leave();
            return _pos == start && mode == WordMode.Command ? null : new Word(parts) { Start = Offset(start), End = Offset(_pos) };
        }

        private string ReadBalanced(char open, char close)
        {
            var from = _pos;
            var level = 0;
            while (!AtEnd)
            {
                var c = _s[_pos];
                if (c == '\\')
                {
                    _pos = Math.Min(_pos + 2, _end);
                    continue;
                }
                _pos++;
                if (c == open)
                {
                    level++;
                }
                else if (c == close && --level == 0)
                {
                    break;
                }
            }
            return _s[from.._pos];
        }

        private void ReadExtendedGlob(StringBuilder text)
        {
            var open = _pos;
            text.Append(_s[_pos]);
            _pos++;
            var balanced = ReadBalanced('(', ')');
            if (!balanced.EndsWith(')'))
            {
                throw Error("expected ')' to close the pattern", open);
            }
            text.Append(balanced);
        }

        private SingleQuotedPart ParseSingleQuoted()
        {
            var open = _pos;
            var close = _s.IndexOf('\'', _pos + 1, _end - _pos - 1);
            if (close < 0)
            {
                throw Error("unterminated single quote", open);
            }
            _pos = close + 1;
            return new SingleQuotedPart(_s[(open + 1)..close]) { Start = Offset(open), End = Offset(_pos) };
        }

        private DoubleQuotedPart ParseDoubleQuoted(int open, int openLength)
        {
            _pos = open + openLength;
            Enter();
            var parts = new List<WordPart>();
            var literal = new Literal(this);
            while (true)
            {
                if (AtEnd)
                {
                    throw Error("unterminated double quote", open);
                }
                var c = _s[_pos];
                if (c == '"')
                {
                    _pos++;
                    break;
                }
                switch (c)
                {
                    case '\\' when At(1) == '\n':
                        _pos += 2;
                        continue;
                    case '\\' when At(1) is '$' or '`' or '"' or '\\':
                        literal.Begin(_pos);
                        literal.Text.Append(At(1));
                        _pos += 2;
                        continue;
                    case '$':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseDollar(inDoubleQuotes: true));
                        continue;
                    case '`':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseBackquote());
                        continue;
                }
                literal.Begin(_pos);
                literal.Text.Append(c);
                _pos++;
            }
            literal.Flush(parts, _pos - 1);
            Leave();
            return new DoubleQuotedPart(parts) { Start = Offset(open), End = Offset(_pos) };
        }

        private WordPart ParseDollar(bool inDoubleQuotes)
        {
            var start = _pos;
            var n = At(1);
            if (n == '(' && At(2) == '(' && IsArithmeticAhead(1))
            {
                _pos += 3;
                return ParseArithmetic(start, "))");
            }
            if (n == '(')
            {
                _pos += 2;
                var body = ParseList();
                Expect(')', "to close the command substitution");
                return new CommandSubstitutionPart(body, Backquoted: false) { Start = Offset(start), End = Offset(_pos) };
            }
            if (n == '[')
            {
                // $[ expr ]: bash's old arithmetic form.
                _pos += 2;
                var expression = ParseArithmetic(start, "]");
                return expression;
            }
            if (n == '{')
            {
                return ParseBraceParameter(start);
            }
            if (n == '\'' && !inDoubleQuotes)
            {
                _pos++;
                var quoted = ParseSingleQuoted();
                return new SingleQuotedPart(DecodeAnsiC(quoted.Text), AnsiC: true) { Start = Offset(start), End = Offset(_pos) };
            }
            if (n == '"' && !inDoubleQuotes)
            {
                return ParseDoubleQuoted(start, 2) with { Start = Offset(start) };
            }
            if (IsNameStart(n))
            {
                var i = _pos + 1;
                while (i < _end && IsNameChar(_s[i]))
                {
                    i++;
                }
                var name = _s[(_pos + 1)..i];
                _pos = i;
                return new ParameterExpansionPart(name, false, false, false, null, null, null) { Start = Offset(start), End = Offset(_pos) };
            }
            if (char.IsAsciiDigit(n) || (n is '@' or '*' or '#' or '?' or '-' or '$' or '!' && _pos + 1 < _end))
            {
                _pos += 2;
                return new ParameterExpansionPart(n.ToString(), false, false, false, null, null, null) { Start = Offset(start), End = Offset(_pos) };
            }
            _pos++;
            return new LiteralPart("$") { Start = Offset(start), End = Offset(_pos) };
        }

        private ParameterExpansionPart ParseBraceParameter(int start)
        {
            _pos += 2;
            Enter();
            var length = false;
            var indirect = false;
            if (Cur == '#' && At(1) != '}' && !(At(1) is ':' or '-' or '=' or '?' or '+' && At(2) != '}'))
            {
                length = true;
                _pos++;
            }
            else if (Cur == '!' && At(1) != '}')
            {
                indirect = true;
                _pos++;
            }
            string name;
            if (IsNameStart(Cur))
            {
                var i = _pos;
                while (i < _end && IsNameChar(_s[i]))
                {
                    i++;
                }
                name = _s[_pos..i];
                _pos = i;
            }
            else if (char.IsAsciiDigit(Cur))
            {
                var i = _pos;
                while (i < _end && char.IsAsciiDigit(_s[i]))
                {
                    i++;
                }
                name = _s[_pos..i];
                _pos = i;
            }
            else if (Cur is '@' or '*' or '#' or '?' or '-' or '$' or '!' && !AtEnd)
            {
                name = Cur.ToString();
                _pos++;
            }
            else
            {
                throw Error("bad substitution: expected a parameter name after '${'", start);
            }
            Word? index = null;
            if (Cur == '[')
            {
                _pos++;
                index = ParseWord(WordMode.ExpansionIndex);
                if (Cur != ']')
                {
                    throw Error("expected ']' to close the index", start);
                }
                _pos++;
            }
            string? op = null;
            Word? argument = null;
            if (indirect && Cur is '*' or '@' && At(1) == '}')
            {
                // ${!prefix*}: the names that start with the prefix.
                op = Cur.ToString();
                _pos++;
            }
            else if (Cur != '}')
            {
                op = ReadParameterOperator() ?? throw Error($"bad substitution: unexpected '{Describe()}' in '${{{name}'", start);
                argument = ParseWord(WordMode.BraceArgument);
            }
            if (Cur != '}' || AtEnd)
            {
                throw Error("expected '}' to close '${'", start);
            }
            _pos++;
            Leave();
            return new ParameterExpansionPart(name, true, length, indirect, index, op, argument) { Start = Offset(start), End = Offset(_pos) };
        }

        private string? ReadParameterOperator()
        {
            foreach (var op in (string[])[":-", ":=", ":?", ":+", "##", "%%", "//", "/#", "/%", "^^", ",,", "-", "=", "?", "+", "#", "%", "/", "^", ",", "@", ":"])
            {
                if (_pos + op.Length <= _end && string.CompareOrdinal(_s, _pos, op, 0, op.Length) == 0)
                {
                    _pos += op.Length;
                    return op;
                }
            }
            return null;
        }

        private CommandSubstitutionPart ParseBackquote()
        {
            var open = _pos;
            var close = -1;
            var escaped = false;
            for (var i = _pos + 1; i < _end; i++)
            {
                if (_s[i] == '\\')
                {
                    escaped = true;
                    i++;
                }
                else if (_s[i] == '`')
                {
                    close = i;
                    break;
                }
            }
            if (close < 0)
            {
                throw Error("unterminated backquote", open);
            }
            CommandList body;
            if (!escaped)
            {
                var savedEnd = _end;
                _end = close;
                _pos = open + 1;
                body = ParseList();
                SkipBlanksAndNewlines();
                if (!AtEnd)
                {
                    throw Error($"unexpected '{Describe()}' in backquotes");
                }
                _end = savedEnd;
            }
            else
            {
                // Inside backquotes \\, \` and \$ stand for themselves: parse the unescaped text on its own.
                var text = new StringBuilder(close - open);
                for (var i = open + 1; i < close; i++)
                {
                    if (_s[i] == '\\' && i + 1 < close && _s[i + 1] is '\\' or '`' or '$')
                    {
                        i++;
                    }
                    text.Append(_s[i]);
                }
                var inner = new Parser(text.ToString(), 0, text.Length, _depth + 1, Offset(open + 1));
                body = inner.ParseScript();
            }
            _pos = close + 1;
            return new CommandSubstitutionPart(body, Backquoted: true) { Start = Offset(open), End = Offset(_pos) };
        }

        private ProcessSubstitutionPart ParseProcessSubstitution()
        {
            var start = _pos;
            var output = _s[_pos] == '>';
            _pos += 2;
            var body = ParseList();
            Expect(')', "to close the process substitution");
            return new ProcessSubstitutionPart(body, output) { Start = Offset(start), End = Offset(_pos) };
        }

        // ---- arithmetic ------------------------------------------------------------------------------------------------

        /// <summary>
        /// At <c>((</c> (after <paramref name="skip"/> characters): does the parenthesis that closes the second one sit right
        /// before the one that closes the first, as in <c>((x))</c>, and not as in <c>((a); (b))</c>, a subshell in a subshell?
        /// </summary>
        private bool IsArithmeticAhead(int skip = 0)
        {
            var level = 2;
            for (var i = _pos + skip + 2; i < _end; i++)
            {
                var c = _s[i];
                switch (c)
                {
                    case '\\':
                        i++;
                        break;
                    case '\'':
                        var close = _s.IndexOf('\'', i + 1, _end - i - 1);
                        if (close < 0)
                        {
                            return false;
                        }
                        i = close;
                        break;
                    case '(':
                        level++;
                        break;
                    case ')':
                        level--;
                        if (level == 1)
                        {
                            return i + 1 < _end && _s[i + 1] == ')';
                        }
                        break;
                    case ';' when level == 2:
                        // Arithmetic has no command separator at its own level (for (( ; ; )) is read elsewhere).
                        return false;
                }
            }
            return false;
        }

        /// <summary>Reads arithmetic text up to <paramref name="terminator"/> at parenthesis level 0, with its expansions.</summary>
        private ArithmeticExpansionPart ParseArithmetic(int start, string terminator)
        {
            Enter();
            var parts = new List<WordPart>();
            var literal = new Literal(this);
            var level = 0;
            while (true)
            {
                if (AtEnd)
                {
                    throw Error($"expected '{terminator}' to close the arithmetic expression", start);
                }
                var c = _s[_pos];
                if (level == 0 && _pos + terminator.Length <= _end && string.CompareOrdinal(_s, _pos, terminator, 0, terminator.Length) == 0)
                {
                    literal.Flush(parts, _pos);
                    _pos += terminator.Length;
                    break;
                }
                switch (c)
                {
                    case '$':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseDollar(inDoubleQuotes: false));
                        continue;
                    case '`':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseBackquote());
                        continue;
                    case '"':
                        literal.Flush(parts, _pos);
                        parts.Add(ParseDoubleQuoted(_pos, 1));
                        continue;
                    case '\\' when At(1) == '\n':
                        _pos += 2;
                        continue;
                    case '(':
                        level++;
                        break;
                    case ')':
                        if (level == 0)
                        {
                            throw Error($"expected '{terminator}' to close the arithmetic expression, found ')'", start);
                        }
                        level--;
                        break;
                }
                literal.Begin(_pos);
                literal.Text.Append(c);
                _pos++;
            }
            Leave();
            return new ArithmeticExpansionPart(parts) { Start = Offset(start), End = Offset(_pos) };
        }

        private static string DecodeAnsiC(string text)
        {
            if (!text.Contains('\\', StringComparison.Ordinal))
            {
                return text;
            }
            var result = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c != '\\' || i + 1 >= text.Length)
                {
                    result.Append(c);
                    continue;
                }
                var e = text[++i];
                switch (e)
                {
                    case 'n': result.Append('\n'); break;
                    case 't': result.Append('\t'); break;
                    case 'r': result.Append('\r'); break;
                    case 'a': result.Append('\a'); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'v': result.Append('\v'); break;
                    case 'e' or 'E': result.Append('\u001b'); break;
                    case 'x':
                        result.Append(ReadCode(text, ref i, 16, 2));
                        break;
                    case 'u':
                        result.Append(ReadCode(text, ref i, 16, 4));
                        break;
                    case 'U':
                        result.Append(ReadCode(text, ref i, 16, 8));
                        break;
                    case >= '0' and <= '7':
                        i--;
                        result.Append(ReadCode(text, ref i, 8, 3));
                        break;
                    case 'c' when i + 1 < text.Length:
                        result.Append((char)(text[++i] & 0x1f));
                        break;
                    default:
                        if (e is not ('\\' or '\'' or '"' or '?'))
                        {
                            result.Append('\\');
                        }
                        result.Append(e);
                        break;
                }
            }
            return result.ToString();
        }

        private static string ReadCode(string text, ref int i, int radix, int maxDigits)
        {
            var value = 0;
            var digits = 0;
            while (digits < maxDigits && i + 1 < text.Length && Uri.IsHexDigit(text[i + 1]) && (radix == 16 || text[i + 1] is >= '0' and <= '7'))
            {
                value = (value * radix) + Convert.ToInt32(text[i + 1].ToString(), 16);
                i++;
                digits++;
            }
            if (digits == 0)
            {
                return radix == 16 ? "\\" + text[i] : "";
            }
            return value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF) ? char.ConvertFromUtf32(value) : "\uFFFD";
        }
    }
}
