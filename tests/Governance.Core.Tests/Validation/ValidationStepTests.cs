using Governance.Abstractions.Decisions;
using Governance.Core.Validation;
using Governance.TestKit;

namespace Governance.Core.Tests.Validation;

public sealed class ValidationStepTests : IDisposable
{
    private readonly RecordingPersona _persona = new();
    private readonly PipelineHarness _harness;

    public ValidationStepTests() => _harness = new PipelineHarness([_persona],
        limits: new RequestLimits { MaxContextBytes = 4096, MaxContextDepth = 5, MaxOperationLength = 32 });

    /// <summary>Allows everything and remembers what it was shown.</summary>
    private sealed class RecordingPersona : Abstractions.Personas.IPersona
    {
        public Abstractions.Personas.PersonaDescriptor Descriptor { get; } = new() { Id = "security-reviewer", Name = "r", Source = "test" };
        public int Calls;
        public Operation? Seen;

        public bool IsRelevant(Operation operation) => true;

        public ValueTask<Abstractions.Personas.PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            Seen = operation;
            return ValueTask.FromResult(new Abstractions.Personas.PersonaVerdict { Verdict = Verdict.Allow, Confidence = 0.99, Guidance = "ok" });
        }
    }

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
    public async Task Decide_ContextTooLarge_ReviewedAsFarAsItGoesButNeverAllowed()
    {
        var decision = await _harness.DecideAsync("Bash", new { command = "ls", content = new string('x', 5000) });

        Assert.Null(decision.Error);
        Assert.Equal(Verdict.Ask, decision.Verdict);
        Assert.Contains(decision.Warnings, w => w.Code == "unreviewable-input" && w.Message.Contains("larger than 4096 bytes", StringComparison.Ordinal));
        Assert.Equal(1, _persona.Calls);
    }

    [Fact]
    public async Task Decide_ContextTooDeep_ReviewedButNeverAllowed()
    {
        var decision = await _harness.DecideAsync("Bash", """{"command":"ls","a":{"b":{"c":{"d":{"e":{"f":1}}}}}}""");

        Assert.Equal(Verdict.Ask, decision.Verdict);
        Assert.Contains(decision.Warnings, w => w.Message.Contains("deeper than 5 levels", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_OversizedField_TruncatedBeforeAnalysis()
    {
        using var harness = new PipelineHarness([_persona], limits: new RequestLimits { MaxContextBytes = 4096 });
        var command = "ls " + new string('a', OperationNormalizer.MaxTruncatedFieldChars * 2);

        await harness.DecideAsync("Bash", new { command });

        Assert.Equal(OperationNormalizer.MaxTruncatedFieldChars, _persona.Seen!.Command.Length);
    }

    [Fact]
    public async Task Decide_InputOverHardLimit_DeniedUnread()
    {
        var decision = await _harness.Engine.DecideAsync(new Core.GovernanceRequest("Write", default, "s", InputError: "too big", OverHardLimit: true, RawText: "{\"tool"),
            CancellationToken.None);

        Assert.Equal((Verdict.Deny, "request_too_large", "deny", false), (decision.Verdict, decision.Error?.Code, decision.Error?.Fallback, decision.Error?.IsServerFault));
        Assert.Equal(0, _persona.Calls);
        await _harness.Store.FlushAsync(CancellationToken.None);
        Assert.Equal("{\"tool", Assert.Single(await _harness.Store.QueryAsync(new() { Limit = 5 }, CancellationToken.None)).ContextJson);
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
