using System.Text;

namespace Governance.Core.Analysis;

/// <summary>Char-by-char shell lexer: linear in the input, no regex, no recursion on nesting in the text.</summary>
internal sealed class ShellLexer
{
    // ${...}, $((...)) and heredoc bodies are scanned for substitutions by a nested lexer; cap that nesting.
    private const int MaxLexerLevel = 4;

    private readonly string _s;
    private readonly List<string> _problems;
    private readonly int _level;
    private readonly List<ShellToken> _tokens = [];
    private readonly List<ShellToken> _pendingHeredocs = [];
    private int _pos;

    private ShellLexer(string s, List<string> problems, int level)
    {
        _s = s;
        _problems = problems;
        _level = level;
    }

    public static List<ShellToken> Lex(string text, List<string> problems)
    {
        var lexer = new ShellLexer(text, problems, 0);
        lexer.Run();
        return lexer._tokens;
    }

    private char Peek(int offset) => _pos + offset < _s.Length ? _s[_pos + offset] : '\0';

    private void Problem(string reason)
    {
        if (!_problems.Contains(reason))
        {
            _problems.Add(reason);
        }
    }

    private void Run()
    {
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c is ' ' or '\t' or '\r' or '\f' or '\v')
            {
                _pos++;
            }
            else if (c == '\\' && Peek(1) == '\n')
            {
                _pos += 2;
            }
            else if (c == '#')
            {
                var end = _s.IndexOf('\n', _pos);
                _pos = end < 0 ? _s.Length : end;
            }
            else if (c == '\n')
            {
                _pos++;
                AddOperator("\n");
                ReadHeredocBodies();
            }
            else if (!TryRedirection() && !TryOperator())
            {
                _tokens.Add(ReadWord());
            }
        }

        foreach (var pending in _pendingHeredocs)
        {
            pending.HeredocBody = "";
        }
    }

    private void AddOperator(string op) => _tokens.Add(new ShellToken { Kind = ShellTokenKind.Operator, Text = op, Raw = op });

    private bool TryOperator()
    {
        var c = _s[_pos];
        var n = Peek(1);
        string? op = c switch
        {
            ';' => n == ';' ? ";;" : n == '&' ? ";&" : ";",
            '&' => n == '&' ? "&&" : "&",
            '|' => n == '|' ? "||" : n == '&' ? "|&" : "|",
            '(' => "(",
            ')' => ")",
            _ => null,
        };
        if (op is null)
        {
            return false;
        }

        _pos += op.Length;
        // ";&" falls through to the next case body, which the analyser treats like ";;".
        AddOperator(op == ";&" ? ";;" : op);
        return true;
    }

    private bool TryRedirection()
    {
        var p = _pos;
        int? fd = null;
        while (p < _s.Length && char.IsAsciiDigit(_s[p]))
        {
            p++;
        }

        if (p > _pos)
        {
            if (p >= _s.Length || (_s[p] != '<' && _s[p] != '>') || p - _pos > 9)
            {
                return false;
            }

            fd = int.Parse(_s.AsSpan(_pos, p - _pos), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (p >= _s.Length)
        {
            return false;
        }

        var rest = _s.AsSpan(p);
        string? op = rest[0] switch
        {
            '&' when fd is null && rest.StartsWith("&>>") => "&>>",
            '&' when fd is null && rest.StartsWith("&>") => "&>",
            '>' when rest.StartsWith(">>") => ">>",
            '>' when rest.StartsWith(">|") => ">|",
            '>' when rest.StartsWith(">&") => ">&",
            '>' when rest.StartsWith(">(") => null,
            '>' => ">",
            '<' when rest.StartsWith("<<<") => "<<<",
            '<' when rest.StartsWith("<<-") => "<<-",
            '<' when rest.StartsWith("<<") => "<<",
            '<' when rest.StartsWith("<&") => "<&",
            '<' when rest.StartsWith("<>") => "<>",
            '<' when rest.StartsWith("<(") => null,
            '<' => "<",
            _ => null,
        };
        if (op is null)
        {
            return false;
        }

        _pos = p + op.Length;
        while (_pos < _s.Length && _s[_pos] is ' ' or '\t')
        {
            _pos++;
        }

        ShellToken target;
        if (_pos >= _s.Length || _s[_pos] is '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
        {
            Problem("redirection without a target");
            target = new ShellToken { Kind = ShellTokenKind.Word, Text = "" };
        }
        else
        {
            target = ReadWord();
        }

        var token = new ShellToken
        {
            Kind = ShellTokenKind.Redirection,
            Text = op,
            Raw = op,
            FileDescriptor = fd,
            Target = target,
            HeredocQuoted = target.IsQuoted,
            StripTabs = op == "<<-",
        };
        if (op is "<<" or "<<-")
        {
            _pendingHeredocs.Add(token);
        }

        _tokens.Add(token);
        return true;
    }

    private void ReadHeredocBodies()
    {
        foreach (var heredoc in _pendingHeredocs)
        {
            var delimiter = heredoc.Target?.Text ?? "";
            var body = new StringBuilder();
            while (_pos < _s.Length)
            {
                var eol = _s.IndexOf('\n', _pos);
                if (eol < 0)
                {
                    eol = _s.Length;
                }

                var line = _s.AsSpan(_pos, eol - _pos);
                _pos = Math.Min(eol + 1, _s.Length);
                if (heredoc.StripTabs)
                {
                    line = line.TrimStart('\t');
                }

                if (line.TrimEnd('\r').SequenceEqual(delimiter))
                {
                    break;
                }

                body.Append(line).Append('\n');
            }

            heredoc.HeredocBody = body.ToString();
            if (!heredoc.HeredocQuoted)
            {
                // An unquoted delimiter means $(...) and backticks in the body run when the heredoc is read.
                heredoc.Substitutions = ExtractSubstitutions(heredoc.HeredocBody);
            }
        }

        _pendingHeredocs.Clear();
    }

    private List<string>? ExtractSubstitutions(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (_level >= MaxLexerLevel)
        {
            Problem("expansions nested too deeply");
            return null;
        }

        var nested = new ShellLexer(text, _problems, _level + 1);
        var sink = new StringBuilder();
        var expansion = false;
        var quoted = false;
        List<string>? subs = null;
        while (nested._pos < text.Length)
        {
            var c = text[nested._pos];
            if (c == '\\')
            {
                nested._pos += 2;
            }
            else if (c == '$')
            {
                nested.ReadDollar(sink, ref expansion, ref quoted, ref subs, inDoubleQuotes: true);
            }
            else if (c == '`')
            {
                nested.ReadBacktick(sink, ref subs);
            }
            else
            {
                nested._pos++;
            }

            sink.Clear();
        }

        return subs;
    }

    private ShellToken ReadWord()
    {
        var start = _pos;
        var sb = new StringBuilder();
        var expansion = false;
        var quoted = false;
        List<string>? subs = null;
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or ';' or '&' or '|' or ')')
            {
                break;
            }

            if (c is '<' or '>')
            {
                if (_pos == start && Peek(1) == '(')
                {
                    // Process substitution <(cmd) / >(cmd): the body runs.
                    ReadParenBody(_pos + 2, sb, ref subs);
                    expansion = true;
                    continue;
                }

                break;
            }

            if (c == '(')
            {
                if (_pos > start && _s[_pos - 1] == '=' && !quoted)
                {
                    // Array assignment a=(x y): keep it inside the word.
                    var close = FindClosingParen(_pos + 1);
                    var end = close < 0 ? _s.Length : close + 1;
                    var inner = _s[(_pos + 1)..(close < 0 ? _s.Length : close)];
                    AddRange(ref subs, ExtractSubstitutions(inner));
                    sb.Append(_s, _pos, end - _pos);
                    _pos = end;
                    continue;
                }

                break;
            }

            switch (c)
            {
                case '\\':
                    var next = Peek(1);
                    if (next == '\n')
                    {
                        _pos += 2;
                    }
                    else if (_pos + 1 < _s.Length)
                    {
                        sb.Append(next);
                        quoted = true;
                        _pos += 2;
                    }
                    else
                    {
                        _pos++;
                    }

                    break;
                case '\'':
                    quoted = true;
                    var close = _s.IndexOf('\'', _pos + 1);
                    if (close < 0)
                    {
                        Problem("unterminated single quote");
                        sb.Append(_s, _pos + 1, _s.Length - _pos - 1);
                        _pos = _s.Length;
                    }
                    else
                    {
                        sb.Append(_s, _pos + 1, close - _pos - 1);
                        _pos = close + 1;
                    }

                    break;
                case '"':
                    quoted = true;
                    ReadDoubleQuoted(sb, ref expansion, ref subs);
                    break;
                case '$':
                    ReadDollar(sb, ref expansion, ref quoted, ref subs, inDoubleQuotes: false);
                    break;
                case '`':
                    ReadBacktick(sb, ref subs);
                    expansion = true;
                    break;
                default:
                    sb.Append(c);
                    _pos++;
                    break;
            }
        }

        return new ShellToken
        {
            Kind = ShellTokenKind.Word,
            Text = sb.ToString(),
            Raw = _s[start.._pos],
            HasExpansion = expansion,
            IsQuoted = quoted,
            Substitutions = subs,
        };
    }

    private static void AddRange(ref List<string>? subs, List<string>? more)
    {
        if (more is { Count: > 0 })
        {
            (subs ??= []).AddRange(more);
        }
    }

    private void ReadDoubleQuoted(StringBuilder sb, ref bool expansion, ref List<string>? subs)
    {
        _pos++;
        var quoted = true;
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c == '"')
            {
                _pos++;
                return;
            }

            if (c == '\\')
            {
                var n = Peek(1);
                if (n is '"' or '\\' or '$' or '`')
                {
                    sb.Append(n);
                    _pos += 2;
                }
                else if (n == '\n')
                {
                    _pos += 2;
                }
                else
                {
                    sb.Append('\\');
                    _pos++;
                }
            }
            else if (c == '$')
            {
                ReadDollar(sb, ref expansion, ref quoted, ref subs, inDoubleQuotes: true);
            }
            else if (c == '`')
            {
                ReadBacktick(sb, ref subs);
                expansion = true;
            }
            else
            {
                sb.Append(c);
                _pos++;
            }
        }

        Problem("unterminated double quote");
    }

    private void ReadDollar(StringBuilder sb, ref bool expansion, ref bool quoted, ref List<string>? subs, bool inDoubleQuotes)
    {
        var n = Peek(1);
        if (n == '(')
        {
            expansion = true;
            if (Peek(2) == '(')
            {
                // Arithmetic $((...)) is not a command, but substitutions inside it still run.
                var close = FindClosingParen(_pos + 2);
                var end = close < 0 ? _s.Length : close + 1;
                AddRange(ref subs, ExtractSubstitutions(_s[(_pos + 2)..(close < 0 ? _s.Length : close)]));
                sb.Append(_s, _pos, end - _pos);
                _pos = end;
                return;
            }

            ReadParenBody(_pos + 2, sb, ref subs);
            return;
        }

        if (n == '{')
        {
            expansion = true;
            var close = FindClosingBrace(_pos + 2);
            var end = close < 0 ? _s.Length : close + 1;
            if (close < 0)
            {
                Problem("unterminated ${");
            }

            AddRange(ref subs, ExtractSubstitutions(_s[(_pos + 2)..(close < 0 ? _s.Length : close)]));
            sb.Append(_s, _pos, end - _pos);
            _pos = end;
            return;
        }

        if (n == '\'' && !inDoubleQuotes)
        {
            // ANSI-C quoting $'\x72\x6d' is static text once escapes are decoded.
            quoted = true;
            var p = _pos + 2;
            while (p < _s.Length && _s[p] != '\'')
            {
                p += _s[p] == '\\' ? 2 : 1;
            }

            var inner = _s[(_pos + 2)..Math.Min(p, _s.Length)];
            if (p >= _s.Length)
            {
                Problem("unterminated $' quote");
            }

            sb.Append(PayloadDecoder.DecodeEscapes(inner, octalNeedsZero: false, out _));
            _pos = Math.Min(p + 1, _s.Length);
            return;
        }

        if (n == '"' && !inDoubleQuotes)
        {
            _pos++;
            return;
        }

        if (char.IsAsciiLetter(n) || n == '_')
        {
            expansion = true;
            var p = _pos + 1;
            while (p < _s.Length && (char.IsAsciiLetterOrDigit(_s[p]) || _s[p] == '_'))
            {
                p++;
            }

            sb.Append(_s, _pos, p - _pos);
            _pos = p;
            return;
        }

        if (char.IsAsciiDigit(n) || n is '@' or '*' or '#' or '?' or '$' or '!' or '-')
        {
            expansion = true;
            sb.Append('$').Append(n);
            _pos += 2;
            return;
        }

        sb.Append('$');
        _pos++;
    }

    private void ReadParenBody(int bodyStart, StringBuilder sb, ref List<string>? subs)
    {
        var close = FindClosingParen(bodyStart);
        if (close < 0)
        {
            Problem("unterminated command substitution");
        }

        var bodyEnd = close < 0 ? _s.Length : close;
        (subs ??= []).Add(_s[bodyStart..bodyEnd]);
        var end = close < 0 ? _s.Length : close + 1;
        sb.Append(_s, _pos, end - _pos);
        _pos = end;
    }

    private void ReadBacktick(StringBuilder sb, ref List<string>? subs)
    {
        var body = new StringBuilder();
        var p = _pos + 1;
        var closed = false;
        while (p < _s.Length)
        {
            var c = _s[p];
            if (c == '\\' && p + 1 < _s.Length && _s[p + 1] is '`' or '\\' or '$')
            {
                body.Append(_s[p + 1]);
                p += 2;
            }
            else if (c == '`')
            {
                closed = true;
                p++;
                break;
            }
            else
            {
                body.Append(c);
                p++;
            }
        }

        if (!closed)
        {
            Problem("unterminated backtick substitution");
        }

        (subs ??= []).Add(body.ToString());
        sb.Append(_s, _pos, p - _pos);
        _pos = p;
    }

    /// <summary>Index of the ')' closing a paren opened just before <paramref name="from"/>, or -1; explicit stack, no recursion.</summary>
    private int FindClosingParen(int from)
    {
        // Modes: '(' inside parens, '"' inside double quotes, '`' inside backticks.
        var modes = new Stack<char>();
        modes.Push('(');
        var p = from;
        while (p < _s.Length)
        {
            var c = _s[p];
            var mode = modes.Peek();
            if (c == '\\')
            {
                p += 2;
                continue;
            }

            switch (mode)
            {
                case '(':
                    if (c == '\'')
                    {
                        var close = _s.IndexOf('\'', p + 1);
                        if (close < 0)
                        {
                            return -1;
                        }

                        p = close;
                    }
                    else if (c is '"' or '`' or '(')
                    {
                        modes.Push(c);
                    }
                    else if (c == ')')
                    {
                        modes.Pop();
                        if (modes.Count == 0)
                        {
                            return p;
                        }
                    }

                    break;
                case '"':
                    if (c == '"')
                    {
                        modes.Pop();
                    }
                    else if (c == '$' && p + 1 < _s.Length && _s[p + 1] == '(')
                    {
                        modes.Push('(');
                        p++;
                    }
                    else if (c == '`')
                    {
                        modes.Push('`');
                    }

                    break;
                default:
                    if (c == '`')
                    {
                        modes.Pop();
                    }

                    break;
            }

            p++;
        }

        return -1;
    }

    private int FindClosingBrace(int from)
    {
        var depth = 1;
        for (var p = from; p < _s.Length; p++)
        {
            var c = _s[p];
            if (c == '\\')
            {
                p++;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return p;
            }
        }

        return -1;
    }
}
