using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Tests.Commands;

public sealed class ShellCommandAnalyzerIndirectionTests
{
    private static ExecutedCommand Only(ShellAnalysis analysis, string name) => Assert.Single(analysis.Commands, c => c.Name == name);

    [Theory]
    [InlineData("sudo rm -rf /", new[] { "sudo" })]
    [InlineData("sudo -u root -E rm -rf /", new[] { "sudo" })]
    [InlineData("sudo --user=root rm -rf /", new[] { "sudo" })]
    [InlineData("doas -u root rm -rf /", new[] { "doas" })]
    [InlineData("env -i -u PATH FOO=1 rm -rf /", new[] { "env" })]
    [InlineData("nice -n 10 rm -rf /", new[] { "nice" })]
    [InlineData("timeout -s KILL 10s rm -rf /", new[] { "timeout" })]
    [InlineData("nohup rm -rf / &", new[] { "nohup" })]
    [InlineData("exec rm -rf /", new[] { "exec" })]
    [InlineData("command rm -rf /", new[] { "command" })]
    [InlineData("builtin rm -rf /", new[] { "builtin" })]
    [InlineData("time -p rm -rf /", new string[0])] // time is a reserved word that times the pipeline, not a program
    [InlineData("stdbuf -o0 rm -rf /", new[] { "stdbuf" })]
    [InlineData("ionice -c 3 rm -rf /", new[] { "ionice" })]
    [InlineData("chrt -f 50 rm -rf /", new[] { "chrt" })]
    [InlineData("setsid rm -rf /", new[] { "setsid" })]
    [InlineData("sudo timeout 5 nice rm -rf /", new[] { "sudo", "timeout", "nice" })]
    [InlineData("env -S 'rm -rf /'", new[] { "env" })]
    public void Analyze_Wrappers_PeeledToInnerCommand(string command, string[] wrappers)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        var rm = Only(result, "rm");
        Assert.Equal(["-rf", "/"], rm.Arguments);
        Assert.Equal(wrappers, rm.Wrappers);
    }

    [Fact]
    public void Analyze_EnvAssignments_RecordedOnCommand()
    {
        var rm = Only(ShellCommandAnalyzer.Analyze("env FOO=1 rm x"), "rm");

        Assert.Equal("1", rm.Assignments["FOO"]);
    }

    [Fact]
    public void Analyze_CommandDashV_IsALookupNotAnExecution()
    {
        var result = ShellCommandAnalyzer.Analyze("command -v rm");

        Assert.Equal("command", Assert.Single(result.Commands).Name);
    }

    [Fact]
    public void Analyze_LoneWrapper_ReportsWrapperItself()
    {
        var command = Assert.Single(ShellCommandAnalyzer.Analyze("sudo -i").Commands);

        Assert.Equal("sudo", command.Name);
        Assert.Empty(command.Wrappers);
    }

    [Theory]
    [InlineData("find . -name '*.o' | xargs rm -f")]
    [InlineData("find . -print0 | xargs -0 -n 5 -P 4 rm -f")]
    [InlineData("ls | xargs -I {} rm -f {}")]
    public void Analyze_Xargs_CommandHasXargsOrigin(string command)
    {
        var rm = Only(ShellCommandAnalyzer.Analyze(command), "rm");

        Assert.Equal(CommandOrigin.Xargs, rm.Origin);
        Assert.Contains("xargs", rm.Wrappers);
        Assert.Equal("-f", rm.Arguments[0]);
    }

    [Theory]
    [InlineData("bash -c 'rm -rf ~'")]
    [InlineData("sh -lc \"rm -rf ~\"")]
    [InlineData("zsh -c 'rm -rf ~'")]
    [InlineData("dash -c 'rm -rf ~'")]
    [InlineData("ksh -c 'rm -rf ~'")]
    [InlineData("sudo bash -c 'rm -rf ~'")]
    [InlineData("/bin/bash -x -c 'rm -rf ~'")]
    public void Analyze_ShellReentry_InnerCommandAtDepthOne(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        var rm = Only(result, "rm");
        Assert.Equal(CommandOrigin.ShellReentry, rm.Origin);
        Assert.Equal(1, rm.Depth);
        Assert.Equal(["-rf", "~"], rm.Arguments);
        Assert.Equal("rm -rf ~", result.Commands[0].InlineCode);
    }

    [Fact]
    public void Analyze_NestedShellReentry_DepthTwo()
    {
        var rm = Only(ShellCommandAnalyzer.Analyze("bash -c \"sh -c 'rm -rf ~'\""), "rm");

        Assert.Equal(2, rm.Depth);
    }

    [Theory]
    [InlineData("echo $(rm -rf ~)")]
    [InlineData("echo `rm -rf ~`")]
    [InlineData("echo \"today: $(rm -rf ~)\"")]
    [InlineData("echo \"`rm -rf ~`\"")]
    [InlineData("X=$(rm -rf ~)")]
    [InlineData("cat <(rm -rf ~)")]
    public void Analyze_Substitution_InnerCommandListed(string command)
    {
        var rm = Only(ShellCommandAnalyzer.Analyze(command), "rm");

        Assert.Equal(CommandOrigin.Substitution, rm.Origin);
        Assert.Equal(1, rm.Depth);
    }

    [Fact]
    public void Analyze_NestedSubstitution_BothLevelsListed()
    {
        var result = ShellCommandAnalyzer.Analyze("echo $(dirname $(which rm))");

        Assert.Equal(2, Only(result, "which").Depth);
        Assert.Equal(1, Only(result, "dirname").Depth);
    }

    [Fact]
    public void Analyze_DockerRmOfSubstitution_BothListed()
    {
        var result = ShellCommandAnalyzer.Analyze("docker rm -f $(docker ps -aq)");

        Assert.Equal(2, result.Commands.Count(c => c.Name == "docker"));
    }

    [Theory]
    [InlineData("eval \"rm -rf ~\"")]
    [InlineData("eval rm -rf '~'")]
    [InlineData("X='rm -rf ~'; eval $X")]
    public void Analyze_Eval_JoinedArgumentsAnalysed(string command)
    {
        var rm = Only(ShellCommandAnalyzer.Analyze(command), "rm");

        Assert.Equal(CommandOrigin.Eval, rm.Origin);
        Assert.Equal("~", rm.Arguments[^1]);
    }

    [Theory]
    [InlineData("X=rm; $X -rf ~")]
    [InlineData("X=rm && ${X} -rf ~")]
    [InlineData("X=rm\n\"$X\" -rf ~")]
    [InlineData("X='rm -rf'; $X ~")]
    public void Analyze_VariableInCommandPosition_ResolvedFromEarlierAssignment(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        var rm = Only(result, "rm");
        Assert.Equal(["-rf", "~"], rm.Arguments);
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_UnresolvedVariableInCommandPosition_Opaque()
    {
        var result = ShellCommandAnalyzer.Analyze("$CMD -rf ~");

        Assert.True(result.IsOpaque);
        Assert.Contains(result.OpaqueReasons, r => r.Contains("$CMD", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_SubstitutionInCommandPosition_OpaqueUnlessLiteral()
    {
        Assert.True(ShellCommandAnalyzer.Analyze("$(cat cmd.txt) -rf ~").IsOpaque);
        Assert.Contains(ShellCommandAnalyzer.Analyze("$(printf '\\x72\\x6d') -rf ~").Commands, c => c.Name == "rm");
    }

    // A selective find (-name, -mtime, ...) hands {} one match at a time; one limited only by type or depth hands it
    // everything below its start, which the command then acts on.
    [Theory]
    [InlineData("find / -name x -exec rm -rf {} \\;", "rm", "{}")]
    [InlineData("find . -type f -exec shred -u {} +", "shred", "./*")]
    [InlineData("find . -execdir rm {} ';'", "rm", "./*")]
    [InlineData("find ~/ -mindepth 1 -exec rm -rf {} +", "rm", "~/*")]
    [InlineData("find / -exec chmod 777 {} +", "chmod", "/*")]
    public void Analyze_FindExec_CommandHasFindExecOrigin(string command, string name, string argument)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.Equal("find", result.Commands[0].Name);
        var inner = Only(result, name);
        Assert.Equal(CommandOrigin.FindExec, inner.Origin);
        Assert.Contains(argument, inner.Arguments);
    }

    [Fact]
    public void Analyze_FindDelete_FindKeptWithArguments()
    {
        var find = Assert.Single(ShellCommandAnalyzer.Analyze("find / -delete").Commands);

        Assert.Equal(["/", "-delete"], find.Arguments);
    }

    [Fact]
    public void Analyze_VariableCopiedFromVariable_Resolved()
    {
        var result = ShellCommandAnalyzer.Analyze("X=rm; Y=$X; $Y -rf ~");

        Assert.Equal(["-rf", "~"], Only(result, "rm").Arguments);
    }

    [Fact]
    public void Analyze_VariableFromUnknownSubstitution_OpaqueNotMisnamed()
    {
        var result = ShellCommandAnalyzer.Analyze("X=rm; X=$(cat cmd.txt); $X -rf ~");

        Assert.True(result.IsOpaque);
        Assert.DoesNotContain(result.Commands, c => c.Name == "rm");
        Assert.Contains(result.Commands, c => c.Name == "cat" && c.Origin == CommandOrigin.Substitution);
    }

    [Fact]
    public void Analyze_VariableFromLiteralSubstitution_Resolved()
    {
        var result = ShellCommandAnalyzer.Analyze("X=$(printf 'r%s' m); $X -rf ~");

        Assert.Contains(result.Commands, c => c.Name == "rm");
    }

    [Fact]
    public void Analyze_FunctionDefinition_BodyListed()
    {
        var result = ShellCommandAnalyzer.Analyze("f() { rm -rf ~; }; f");

        Assert.Contains(result.Commands, c => c.Name == "rm" && c.Origin == CommandOrigin.Group);
        Assert.Contains(result.Commands, c => c.Name == "f");
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_ArrayAssignment_NotASubshell()
    {
        var result = ShellCommandAnalyzer.Analyze("a=(one two); rm -rf build");

        Assert.Equal("rm", Assert.Single(result.Commands).Name);
        Assert.False(result.IsOpaque);
    }

    [Theory]
    [InlineData("watch -n 5 rm -rf /srv")]
    [InlineData("watch -n 60 'rm -rf /srv'")]
    [InlineData("script -qc 'rm -rf /srv' /dev/null")]
    [InlineData("su -c 'rm -rf /srv' root")]
    [InlineData("runuser -u app -- rm -rf /srv")]
    [InlineData("flock /tmp/lock -c 'rm -rf /srv'")]
    [InlineData("flock -w 5 /tmp/lock rm -rf /srv")]
    [InlineData("ssh -p 2222 deploy@web1 'rm -rf /srv'")]
    [InlineData("docker exec -it web rm -rf /srv")]
    [InlineData("kubectl exec -n prod deploy/api -- sh -c 'rm -rf /srv'")]
    [InlineData("tmux send-keys -t main 'rm -rf /srv' Enter")]
    [InlineData("echo 'rm -rf /srv' | at now + 1 minute")]
    public void Analyze_RunnerGivenACommandString_InnerCommandAnalysed(string command)
    {
        var rm = Only(ShellCommandAnalyzer.Analyze(command), "rm");

        Assert.Equal(["-rf", "/srv"], rm.Arguments);
        Assert.Equal(CommandOrigin.ShellReentry, rm.Origin);
    }

    [Theory]
    [InlineData("docker run --rm -v /:/host busybox rm -rf /host/home/dev", "rm", "/home/dev")]
    [InlineData("podman run --rm --volume=/home/dev:/work alpine rm -rf /work/.ssh", "rm", "/home/dev/.ssh")]
    [InlineData("docker run --rm -v ~/.ssh:/k alpine cat /k/id_ed25519", "cat", "~/.ssh/id_ed25519")]
    [InlineData("docker run --rm --mount type=bind,source=/etc,target=/e alpine sh -c 'rm -rf /e/ssh'", "rm", "/etc/ssh")]
    public void Analyze_ContainerWithHostMount_InnerCommandActsOnTheHostPath(string command, string name, string hostPath)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.Equal(hostPath, Only(result, name).Arguments[^1]);
        // The command run in the container (or the shell that runs it) carries the host access.
        Assert.Contains(result.Commands, c => c.Wrappers.Contains("container-with-host-access"));
    }

    [Theory]
    [InlineData("docker run --rm -v /home/dev/project:/app -w /app node:20 npm test")]
    [InlineData("docker run --rm -v ~/project/src:/src golang go build ./...")]
    public void Analyze_ProjectFolderMountedIntoBuildContainer_NoHostAccess(string command)
    {
        Assert.DoesNotContain(ShellCommandAnalyzer.Analyze(command).Commands, c => c.Wrappers.Contains("container-with-host-access"));
    }

    [Fact]
    public void Analyze_ContainerWithoutHostAccess_InnerCommandListedWithoutPrivilege()
    {
        var rm = Only(ShellCommandAnalyzer.Analyze("docker run --rm -v ./data:/data alpine rm -rf /data/cache"), "rm");

        Assert.Equal(["-rf", "./data/cache"], rm.Arguments);
        Assert.Equal(["docker"], rm.Wrappers);
    }

    [Fact]
    public void Analyze_XargsShellReentry_InnerCommandListed()
    {
        var rm = Only(ShellCommandAnalyzer.Analyze("ls | xargs -I{} sh -c 'rm -rf {}'"), "rm");

        Assert.Equal(CommandOrigin.ShellReentry, rm.Origin);
    }

    [Theory]
    [InlineData("echo $(( $(rm -rf ~) + 1 ))")]
    [InlineData("echo ${X:-$(rm -rf ~)}")]
    [InlineData("arr=(a $(rm -rf ~))")]
    public void Analyze_SubstitutionInsideExpansion_StillListed(string command)
    {
        Assert.Equal(CommandOrigin.Substitution, Only(ShellCommandAnalyzer.Analyze(command), "rm").Origin);
    }

    [Fact]
    public void Analyze_PipeWithStderr_BothSidesListed()
    {
        var result = ShellCommandAnalyzer.Analyze("make |& tee build.log");

        Assert.Equal("pipe:make", Only(result, "tee").StdinFrom);
    }

    [Fact]
    public void Analyze_SudoDoubleDash_CommandAfterIt()
    {
        Assert.Equal(["sudo"], Only(ShellCommandAnalyzer.Analyze("sudo -- rm -rf /"), "rm").Wrappers);
    }
}
