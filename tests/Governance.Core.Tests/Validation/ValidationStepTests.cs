using Governance.Abstractions.Decisions;
using Governance.Core.Validation;
using Governance.TestKit;

namespace Governance.Core.Tests.Validation;

public sealed class ValidationStepTests : IDisposable
{
    private readonly PipelineHarness _harness = new(
        [TestPersona.Says("security-reviewer", Verdict.Allow, 0.99)],
        limits: new RequestLimits { MaxContextBytes = 4096, MaxContextDepth = 5, MaxOperationLength = 32 });

    [Theory]
    [InlineData("")]
    [InlineData("rm -rf /")]
    [InlineData("Bash;ls")]
    [InlineData("../../etc/passwd")]
    [InlineData("é")]
    [InlineData("ThisOperationNameIsFarTooLongForTheLimit")]
    public async Task Decide_InvalidOperationName_ErrorNamesTheRule(string name)
    {
        var decision = await _harness.DecideAsync(name, new { command = "ls" });

        Assert.NotNull(decision.Error);
        Assert.Equal("validation_error", decision.Error.Code);
        Assert.Contains("not a valid name", decision.Error.Error);
        Assert.Equal("ask", decision.Error.Fallback);
        Assert.Equal(decision.CorrelationId, decision.Error.CorrelationId);
    }

    [Theory]
    [InlineData("\"text\"", "got string")]
    [InlineData("[1,2]", "got array")]
    [InlineData("42", "got number")]
    [InlineData("null", "got null")]
    public async Task Decide_ContextNotObject_Rejected(string context, string expected)
    {
        var decision = await _harness.DecideAsync("Bash", PipelineHarness.ToElement(context));

        Assert.Contains("context must be a JSON object", decision.Error!.Error);
        Assert.Contains(expected, decision.Error.Error);
    }

    [Fact]
    public async Task Decide_MissingContext_Rejected()
    {
        var decision = await _harness.DecideAsync("Bash", null);

        Assert.Contains("got nothing", decision.Error!.Error);
    }

    [Fact]
    public async Task Decide_ContextTooLarge_RejectedWithLimit()
    {
        var decision = await _harness.DecideAsync("Bash", new { command = "ls", content = new string('x', 5000) });

        Assert.Contains("larger than 4096 bytes", decision.Error!.Error);
    }

    [Fact]
    public async Task Decide_ContextTooDeep_RejectedWithLimit()
    {
        var decision = await _harness.DecideAsync("Bash", """{"command":"ls","a":{"b":{"c":{"d":{"e":{"f":1}}}}}}""");

        Assert.Contains("deeper than 5 levels", decision.Error!.Error);
    }

    [Fact]
    public async Task Decide_CommandExecutionWithoutCommand_SaysWhichFieldIsMissing()
    {
        var decision = await _harness.DecideAsync("Bash", new { cwd = "/repo" });

        Assert.Contains("no 'command'", decision.Error!.Error);
    }

    [Fact]
    public async Task Decide_FileEditWithoutPath_SaysWhichFieldIsMissing()
    {
        var decision = await _harness.DecideAsync("Edit", new { new_string = "x" });

        Assert.Contains("no 'file_path'", decision.Error!.Error);
    }

    [Fact]
    public async Task ConsultPersona_UnknownPersona_ListsKnownOnes()
    {
        var decision = await _harness.DecideAsync("Bash", new { command = "ls" }, onlyPersona: "nobody");

        Assert.Equal("unknown_persona", decision.Error!.Code);
        Assert.Contains("security-reviewer", decision.Error.Error);
    }

    [Fact]
    public async Task Decide_SessionIdInContext_UsedForDecision()
    {
        var decision = await _harness.DecideAsync("Bash", new { command = "ls", session_id = "from-context" });

        Assert.Equal("from-context", decision.SessionId);
    }

    [Fact]
    public async Task Decide_NoSessionIdInContext_UsesConnectionSession()
    {
        var decision = await _harness.DecideAsync("Bash", new { command = "ls" });

        Assert.Equal(_harness.SessionId, decision.SessionId);
    }

    public void Dispose() => _harness.Dispose();
}
