using Governance.Analysis.Shell;

namespace Governance.Analysis.Tests.Shell;

public sealed class ShellParserTests
{
    /// <summary>Each simple command as its assignments and words, a word shown by its value or, when dynamic, its source.</summary>
    private static string[] Commands(string script)
    {
        var result = ShellParser.Parse(script);
        Assert.True(result.Succeeded, $"{script}\n{result.Error}");
        return ShellSyntaxWalker.SimpleCommands(result.Script!)
            .Select(c => string.Join(" ", c.Assignments.Select(a => script[a.Start..a.End]).Concat(c.Words.Select(w => w.StaticValue ?? script[w.Start..w.End]))))
            .ToArray();
    }

    public static TheoryData<string, string[]> Scripts => new()
    {
        { "ls -la", ["ls -la"] },
        { "a && b || c; d & e\nf", ["a", "b", "c", "d", "e", "f"] },
        { "cat x | grep y |& tee z", ["cat x", "grep y", "tee z"] },
        { "! time -p false; time ! true", ["false", "true"] },
        { "echo \"x $(rm -rf ~)\"", ["echo \"x $(rm -rf ~)\"", "rm -rf ~"] },
        { "echo `which rm` -rf", ["echo `which rm` -rf", "which rm"] },
        { "cat <<EOF\n$(rm -rf ~)\nEOF\necho done", ["cat", "rm -rf ~", "echo done"] },
        { "cat <<'EOF'\n$(rm -rf ~)\nEOF\necho done", ["cat", "echo done"] },
        { "cat <<-EOF | sh\n\trm -rf ~\n\tEOF\nls", ["cat", "sh", "ls"] },
        { "bash <<< 'rm -rf ~'", ["bash"] },
        { "for d in ~/*/; do rm -rf \"$d\"; done", ["rm -rf \"$d\""] },
        { "for x\ndo echo $x; done", ["echo $x"] },
        { "for ((i=0; i<3; i++)); do echo $i; done", ["echo $i"] },
        { "select x in a b; do break; done", ["break"] },
        { "f() { rm -rf \"$1\"; }; f ~", ["rm -rf \"$1\"", "f ~"] },
        { "function g { ls; }\ng", ["ls", "g"] },
        { "function h() (pwd)", ["pwd"] },
        { "t=(~ /srv); rm -rf \"${t[@]}\"", ["t=(~ /srv)", "rm -rf \"${t[@]}\""] },
        { "a=r; b=m; $a$b -rf ~", ["a=r", "b=m", "$a$b -rf ~"] },
        { "x=1 y+=2 z[3]=4 cmd arg", ["x=1 y+=2 z[3]=4 cmd arg"] },
        { "declare -a x=(a b); local y=$(id)", ["declare -a x=(a b)", "local y=$(id)", "id"] },
        { "case $x in a|b) rm a;; (c) ls ;& *) pwd;;& esac", ["rm a", "ls", "pwd"] },
        { "case $x in\n  *.txt)\n    cat \"$x\"\n    ;;\nesac", ["cat \"$x\""] },
        { "if a; then b; elif c; then d; else e; fi", ["a", "b", "c", "d", "e"] },
        { "while read l; do echo \"$l\"; done < f", ["read l", "echo \"$l\""] },
        { "until false; do :; done", ["false", ":"] },
        { "(cd /tmp && rm -rf x); { ls; }", ["cd /tmp", "rm -rf x", "ls"] },
        { "diff <(ls a) >(cat)", ["diff <(ls a) >(cat)", "ls a", "cat"] },
        { "echo $(( $(id -u) + 1 ))", ["echo $(( $(id -u) + 1 ))", "id -u"] },
        { "((x++)); (( y = 2 * (3 + 4) ))", [] },
        { "[[ -f a && $(whoami) == root || ( b < c ) ]]", ["whoami"] },
        { "[[ $v =~ ^(a|b)+$ ]] && echo y", ["echo y"] },
        { "echo ${x:-$(rm -rf ~)} ${#y} ${!z} ${w//a/b} ${u:0:2} ${arr[$(id)]}", ["echo ${x:-$(rm -rf ~)} ${#y} ${!z} ${w//a/b} ${u:0:2} ${arr[$(id)]}", "rm -rf ~", "id"] },
        { "w=\"${words[$i - 1]}\"; a[i]=1", ["w=\"${words[$i - 1]}\"", "a[i]=1"] },
        { "rm -rf ~ 2>/dev/null >&2 &>x {fd}>y", ["rm -rf ~"] },
        { "$'\\x72\\x6d' -rf ~", ["rm -rf ~"] },
        { "r\\m -rf ~", ["rm -rf ~"] },
        { "rm \\\n -rf ~", ["rm -rf ~"] },
        { "ls # rm -rf ~", ["ls"] },
        { "echo a#b {a,b} !(foo) @(x|y)", ["echo a#b {a,b} !(foo) @(x|y)"] },
        { "echo $(echo $(echo $(rm -rf ~)))", ["echo $(echo $(echo $(rm -rf ~)))", "echo $(echo $(rm -rf ~))", "echo $(rm -rf ~)", "rm -rf ~"] },
        { "echo $$ $? $1 $@ ${10} $\"msg\"", ["echo $$ $? $1 $@ ${10} msg"] },
        { "> out; < in cat", ["", "cat"] },
        { "x=$(cat <<EOF\nrm -rf ~\nEOF\n)", ["x=$(cat <<EOF\nrm -rf ~\nEOF\n)", "cat"] },
        { "echo 'a\nb' \"c\nd\"", ["echo a\nb c\nd"] },
        { "sudo -u root sh -c 'rm -rf /'", ["sudo -u root sh -c rm -rf /"] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Parse_Script_FindsEverySimpleCommandWithItsWords(string script, string[] expected) =>
        Assert.Equal(expected, Commands(script));

    [Fact]
    public void Parse_EscapedBackquotesInBackquotes_ReadAsTheShellUnescapesThem()
    {
        var script = ShellParser.Parse("echo `echo \\`rm -rf ~\\``").Script!;

        Assert.Equal(["echo", "echo", "rm"], ShellSyntaxWalker.SimpleCommands(script).Select(c => c.Words[0].StaticValue ?? "").ToArray());
        Assert.Equal(["rm", "-rf", "~"], ShellSyntaxWalker.SimpleCommands(script)[2].Words.Select(w => w.StaticValue ?? "").ToArray());
    }

    [Fact]
    public void Parse_Heredoc_KeepsItsBodyAndWhetherItExpands()
    {
        var script = ShellParser.Parse("cat <<EOF >out\nhello $USER\nEOF\ncat <<\"Q\"\n$HOME\nQ\n").Script!;
        var redirects = ShellSyntaxWalker.SimpleCommands(script).SelectMany(c => c.Redirects).Where(r => r.IsHeredoc).ToArray();

        Assert.Equal(2, redirects.Length);
        Assert.Contains(redirects[0].HeredocBody!.Parts, p => p is ParameterExpansionPart { Name: "USER" });
        Assert.Equal("$HOME\n", redirects[1].HeredocBody!.StaticValue);
        Assert.True(redirects[1].Target.IsQuoted);
    }

    [Fact]
    public void Parse_Redirections_OperatorDescriptorAndTarget()
    {
        var command = ShellSyntaxWalker.SimpleCommands(ShellParser.Parse("cmd 2>>log <in 3<&0 &>all >|f {v}>g").Script!).Single();

        Assert.Equal(
            [(2, null, RedirectOperator.Append, "log"), (null, null, RedirectOperator.Input, "in"), (3, null, RedirectOperator.DuplicateInput, "0"),
                (null, null, RedirectOperator.OutputAndError, "all"), (null, null, RedirectOperator.Clobber, "f"), (null, "v", RedirectOperator.Output, "g")],
            command.Redirects.Select(r => (r.FileDescriptor, r.DescriptorVariable, r.Operator, r.Target.StaticValue)).ToArray());
    }

    [Fact]
    public void Parse_Structure_ListsAndOrPipelinesAndBackground()
    {
        var script = ShellParser.Parse("a | b && ! c || d &\ne").Script!;

        Assert.Equal(2, script.Items.Count);
        Assert.True(script.Items[0].Background);
        var andOr = script.Items[0].Command;
        Assert.Equal([AndOrOperator.And, AndOrOperator.Or], andOr.Operators);
        Assert.Equal([2, 1, 1], andOr.Pipelines.Select(p => p.Commands.Count).ToArray());
        Assert.True(andOr.Pipelines[1].Negated);
    }

    [Fact]
    public void Parse_Positions_PointIntoTheSource()
    {
        const string Source = "echo  \"a b\" $(id -u)";
        var command = ShellSyntaxWalker.SimpleCommands(ShellParser.Parse(Source).Script!)[0];

        Assert.Equal(["echo", "\"a b\"", "$(id -u)"], command.Words.Select(w => Source[w.Start..w.End]).ToArray());
    }

    [Theory]
    [InlineData("echo 'abc", 1, 6, "unterminated single quote")]
    [InlineData("echo \"abc", 1, 6, "unterminated double quote")]
    [InlineData("ls\necho `x", 2, 6, "unterminated backquote")]
    [InlineData("if true; then ls", 1, 17, "expected 'fi'")]
    [InlineData("echo $(ls", 1, 10, "expected ')'")]
    [InlineData("ls )", 1, 4, "unexpected ')'")]
    [InlineData("for 1 in a; do :; done", 1, 5, "expected a variable name")]
    [InlineData("case x in a) ls", 1, 16, "expected 'esac'")]
    [InlineData("echo ${", 1, 6, "bad substitution")]
    [InlineData("ls && ", 1, 7, "expected a command")]
    [InlineData("rm\0 -rf ~", 1, 3, "unexpected 'NUL'")]
    public void Parse_BrokenScript_ErrorNamesLineColumnAndProblem(string script, int line, int column, string message)
    {
        var result = ShellParser.Parse(script);

        Assert.False(result.Succeeded);
        Assert.Null(result.Script);
        Assert.Equal((line, column), (result.Error!.Line, result.Error.Column));
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo ", "$(", ")")]
    [InlineData("", "( ", " )")]
    [InlineData("", "{ ", "; }")]
    [InlineData("echo ", "\"${x:-", "}\"")]
    [InlineData("", "if a; then ", "; fi")]
    [InlineData("", "while a; do ", "; done")]
    [InlineData("echo ", "$((", "))")]
    [InlineData("", "((", "))")]
    public void Parse_TenThousandLevelsOfNesting_ErrorNotCrash(string prefix, string open, string close)
    {
        var script = prefix + string.Concat(Enumerable.Repeat(open, 10_000)) + "x" + string.Concat(Enumerable.Repeat(close, 10_000));

        var result = ShellParser.Parse(script);

        // (( ((...)) )) is one arithmetic command: its parentheses are counted, not nested, so it parses.
        Assert.True(open == "((" ? result.Succeeded : result.Error?.Message.Contains("nested more than", StringComparison.Ordinal) == true, result.Error?.ToString());
    }

    [Fact]
    public void Parse_NestingUpToTheCap_Parses()
    {
        var depth = (ShellParser.MaxDepth / 2) - 2;
        var script = string.Concat(Enumerable.Repeat("$(", depth)) + "rm -rf ~" + new string(')', depth);

        Assert.Contains("rm -rf ~", Commands(script));
    }

    [Fact]
    public void Parse_OneMegabyteCommand_AllWordsRead()
    {
        var script = "echo" + string.Concat(Enumerable.Repeat(" a", 500_000)) + "; rm -rf ~";

        var commands = ShellSyntaxWalker.SimpleCommands(ShellParser.Parse(script).Script!);

        Assert.Equal(500_001, commands[0].Words.Count);
        Assert.Equal("rm", commands[1].Words[0].StaticValue);
    }

    [Fact]
    public void Parse_UnterminatedHeredoc_TakesTheRestOfTheInputAsItsBody()
    {
        var command = ShellSyntaxWalker.SimpleCommands(ShellParser.Parse("cat <<'EOF'\nrm -rf ~\nls").Script!).Single();

        Assert.Equal("rm -rf ~\nls", command.Redirects.Single().HeredocBody!.StaticValue);
    }
}
