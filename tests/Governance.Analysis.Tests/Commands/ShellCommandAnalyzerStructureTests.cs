using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Tests.Commands;

public sealed class ShellCommandAnalyzerStructureTests
{
    private static string[] Names(ShellAnalysis analysis) => analysis.Commands.Select(c => c.Name).ToArray();

    [Fact]
    public void Analyze_SimpleCommand_NameAndArguments()
    {
        var result = ShellCommandAnalyzer.Analyze("rm -rf ./bin ./obj");

        var command = Assert.Single(result.Commands);
        Assert.Equal("rm", command.Name);
        Assert.Equal(["-rf", "./bin", "./obj"], command.Arguments);
        Assert.Equal(CommandOrigin.Direct, command.Origin);
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_AbsolutePathCommand_BasenameIsName()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("/usr/bin/rm -rf /tmp/x").Commands);

        Assert.Equal("rm", command.Name);
    }

    [Theory]
    [InlineData("ls; rm -rf ~")]
    [InlineData("ls && rm -rf ~")]
    [InlineData("ls || rm -rf ~")]
    [InlineData("ls\nrm -rf ~")]
    [InlineData("ls & rm -rf ~")]
    public void Analyze_CompoundOperators_AllCommandsInOrder(string command)
    {
        Assert.Equal(["ls", "rm"], Names(ShellCommandAnalyzer.Analyze(command)));
    }

    [Fact]
    public void Analyze_Pipeline_LaterSegmentsArePipelineOrigin()
    {
        var result = ShellCommandAnalyzer.Analyze("cat log.txt | grep error | wc -l");

        Assert.Equal(["cat", "grep", "wc"], Names(result));
        Assert.Equal(CommandOrigin.Direct, result.Commands[0].Origin);
        Assert.Equal(CommandOrigin.Pipeline, result.Commands[2].Origin);
        Assert.Equal("pipe:cat", result.Commands[2].StdinFrom);
    }

    [Fact]
    public void Analyze_Subshell_CommandsHaveSubshellOrigin()
    {
        var result = ShellCommandAnalyzer.Analyze("(cd /tmp && rm -rf build); echo done");

        Assert.Equal(["cd", "rm", "echo"], Names(result));
        Assert.Equal(CommandOrigin.Subshell, result.Commands[1].Origin);
        Assert.Equal(CommandOrigin.Direct, result.Commands[2].Origin);
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_Group_CommandsHaveGroupOrigin()
    {
        var result = ShellCommandAnalyzer.Analyze("{ echo start; rm -rf ~; }");

        Assert.Equal(["echo", "rm"], Names(result));
        Assert.All(result.Commands, c => Assert.Equal(CommandOrigin.Group, c.Origin));
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_IfAndLoopKeywords_BodiesListed()
    {
        var result = ShellCommandAnalyzer.Analyze("if test -d x; then rm -rf x; fi; for f in a b; do shred $f; done");

        Assert.Equal(["test", "rm", "shred", "shred"], Names(result)); // the loop runs shred once per item
    }

    [Fact]
    public void Analyze_Comment_Ignored()
    {
        var result = ShellCommandAnalyzer.Analyze("ls # rm -rf ~");

        Assert.Equal(["ls"], Names(result));
    }

    [Fact]
    public void Analyze_SingleQuotes_LiteralText()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("echo '$(rm -rf ~) `x` \"q\"'").Commands);

        Assert.Equal("$(rm -rf ~) `x` \"q\"", command.Arguments[0]);
    }

    [Fact]
    public void Analyze_DoubleQuoteEscapes_Unescaped()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("echo \"a \\\"b\\\" \\\\ \\$HOME \\` \\n\"").Commands);

        Assert.Equal("a \"b\" \\ $HOME ` \\n", command.Arguments[0]);
    }

    [Fact]
    public void Analyze_BackslashOutsideQuotes_EscapesNextChar()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("\\rm my\\ file\\;").Commands);

        Assert.Equal("rm", command.Name);
        Assert.Equal(["my file;"], command.Arguments);
    }

    [Fact]
    public void Analyze_Redirections_CapturedSeparately()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("make build > out.log 2>&1 < in.txt >> all.log &> both 2> err >| forced").Commands);

        Assert.Equal(["build"], command.Arguments);
        Assert.Equal(
            [new(">", "out.log", null), new(">&", "1", 2), new("<", "in.txt", null), new(">>", "all.log", null), new("&>", "both", null), new(">", "err", 2), new(">|", "forced", null)],
            command.Redirections);
    }

    [Fact]
    public void Analyze_RedirectionOnly_ReportedWithEmptyName()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("> important.txt").Commands);

        Assert.Equal("", command.Name);
        Assert.Equal(">", command.Redirections[0].Operator);
        Assert.Equal("important.txt", command.Redirections[0].Target);
    }

    [Fact]
    public void Analyze_Heredoc_BodyAttachedToCommand()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("cat <<EOF > notes.txt\nrm -rf ~\nEOF\n").Commands);

        Assert.Equal("cat", command.Name);
        Assert.Equal("rm -rf ~\n", command.Heredoc);
        Assert.Equal("heredoc", command.StdinFrom);
        Assert.Contains(command.Redirections, r => r.Operator == ">" && r.Target == "notes.txt");
    }

    [Fact]
    public void Analyze_HeredocDashQuoted_TabsStrippedAndNoSubstitution()
    {
        var result = ShellCommandAnalyzer.Analyze("cat <<-'END'\n\t$(rm -rf ~)\n\tEND\necho after");

        Assert.Equal(["cat", "echo"], Names(result));
        Assert.Equal("$(rm -rf ~)\n", result.Commands[0].Heredoc);
    }

    [Fact]
    public void Analyze_UnquotedHeredocWithSubstitution_SubstitutionExecutes()
    {
        var result = ShellCommandAnalyzer.Analyze("cat <<EOF\nhello $(whoami)\nEOF");

        Assert.Contains(result.Commands, c => c.Name == "whoami" && c.Origin == CommandOrigin.Substitution);
    }

    [Fact]
    public void Analyze_HereString_StdinFromHerestring()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("grep x <<< \"rm -rf ~\"").Commands);

        Assert.Equal("herestring", command.StdinFrom);
        Assert.Equal(new Redirection("<<<", "rm -rf ~", null), command.Redirections[0]);
    }

    [Fact]
    public void Analyze_LeadingAssignments_CollectedAndNameIsCommand()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("FOO=1 BAR='a b' rm -rf ~").Commands);

        Assert.Equal("rm", command.Name);
        Assert.Equal(["-rf", "~"], command.Arguments);
        Assert.Equal("1", command.Assignments["FOO"]);
        Assert.Equal("a b", command.Assignments["BAR"]);
    }

    [Fact]
    public void Analyze_QuotedAssignmentName_IsACommand()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("\"FOO=1\" ls").Commands);

        Assert.Equal("FOO=1", command.Name);
    }

    [Theory]
    [InlineData("grep -r \"rm -rf\" src/", "grep")]
    [InlineData("git commit -m \"remove rm -rf from script\"", "git")]
    [InlineData("echo \"never run rm -rf /\"", "echo")]
    [InlineData("rg 'DROP TABLE'", "rg")]
    [InlineData("echo 'bash -c \"rm -rf ~\"'", "echo")]
    public void Analyze_DangerWordsAsData_OnlyOuterCommand(string command, string name)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.Equal([name], Names(result));
        Assert.False(result.IsOpaque);
    }

    [Theory]
    [InlineData("echo 'unterminated")]
    [InlineData("echo \"unterminated")]
    [InlineData("ls )")]
    [InlineData("(ls")]
    [InlineData("echo $(ls")]
    [InlineData("echo `ls")]
    public void Analyze_MalformedInput_BestEffortAndOpaque(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.True(result.IsOpaque);
        Assert.NotEmpty(result.OpaqueReasons);
        Assert.Contains(result.Commands, c => c.Name is "echo" or "ls");
    }

    [Fact]
    public void Analyze_EmptyInput_NoCommands()
    {
        var result = ShellCommandAnalyzer.Analyze("   \n ");

        Assert.Empty(result.Commands);
        Assert.False(result.IsOpaque);
        Assert.False(result.Truncated);
    }

    [Theory]
    [InlineData("case \"$1\" in start|run) rm -rf build ;; *) echo usage ;; esac; ls")]
    [InlineData("case $1 in\n  (start)\n    rm -rf build\n    ;;\n  *)\n    echo usage\n    ;;\nesac\nls")]
    public void Analyze_CaseStatement_BodiesListedPatternsIgnored(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.Equal(["rm", "echo", "ls"], Names(result));
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_UnclosedCase_Opaque()
    {
        Assert.True(ShellCommandAnalyzer.Analyze("case x in a) rm -rf ~").IsOpaque);
    }
}
