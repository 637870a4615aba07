using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.TestKit;

namespace Governance.Definitions.Tests;

public sealed class YamlPersonaTests : IDisposable
{
    private readonly PackBuilder _pack = new();

    [Fact]
    public async Task Load_ValidPersona_DescriptorFromYaml()
    {
        var snapshot = await _pack.Persona("git-test", PackBuilder.MinimalPersona("git-test")).LoadAsync();

        Assert.Empty(snapshot.LoadErrors);
        var persona = snapshot.FindPersona("git-test")!;
        Assert.Equal(("Test Persona", "testing", 1.0, "yaml"), (persona.Descriptor.Name, persona.Descriptor.Expertise, persona.Descriptor.Weight, persona.Descriptor.Source));
        Assert.Equal("personas/git-test.yaml", persona.Descriptor.Origin);
        Assert.False(snapshot.CoreOnly);
    }

    [Fact]
    public async Task Evaluate_SeveralChecksMatch_StrongestVerdictWinsOthersBecomeRecommendations()
    {
        var persona = await Load();

        var verdict = await persona.EvaluateAsync(Command("git push --force origin main"), CancellationToken.None);

        Assert.Equal(Verdict.Deny, verdict.Verdict);
        Assert.Equal(0.95, verdict.Confidence);
        Assert.Equal("Push to a feature branch instead.", verdict.Guidance);
        Assert.Equal("Rewrites shared history.", verdict.Rationale);
        Assert.Equal(["force-push", "any-push"], verdict.MatchedChecks);
        Assert.Contains("Use a pull request.", verdict.Recommendations);
        Assert.Contains("Confirm the target branch.", verdict.Recommendations);
        Assert.Equal(["git-test/force-push", "git-test/any-push"], verdict.Warnings.Select(w => w.Code));
        Assert.Equal(Severity.Critical, verdict.Warnings[0].Severity);
    }

    [Fact]
    public async Task Evaluate_NotCommandExclusion_Respected()
    {
        var persona = await Load();

        var verdict = await persona.EvaluateAsync(Command("git push origin feature/login"), CancellationToken.None);

        Assert.Equal(Verdict.Allow, verdict.Verdict);
        Assert.Equal("Nothing to add.", verdict.Guidance);
        Assert.Empty(verdict.MatchedChecks);
    }

    [Fact]
    public async Task IsRelevant_FollowsTriggerKinds()
    {
        var persona = await Load();

        Assert.True(persona.IsRelevant(Command("ls")));
        Assert.False(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "a.txt" }));
    }

    [Fact]
    public async Task IsRelevant_PatternTriggers_NeedOneMatch()
    {
        var yaml = """
            id: path-test
            name: Paths
            triggers:
              operations: [file_edit, file_write]
              paths: ['\.env$', '^/etc/']
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            """;
        var persona = (await _pack.Persona("path-test", yaml).LoadAsync()).FindPersona("path-test")!;

        Assert.True(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "/etc/hosts" }));
        Assert.False(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "src/a.cs" }));
        Assert.False(persona.IsRelevant(new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = "cat .env" }));
    }

    [Theory]
    [InlineData("id: Not_Kebab", "", "must be kebab-case")]
    [InlineData("id: other-name", "", "must equal the file name 'bad'")]
    [InlineData("id: bad", "weight: 0", "weight 0 must be greater than 0")]
    [InlineData("id: bad", "timeout_ms: 0", "timeout_ms 0 must be between 1 and 60000")]
    public async Task Load_BadMetadata_ReportedWithFileAndReason(string idLine, string extraLine, string expected)
    {
        var yaml = $$"""
            {{idLine}}
            name: Bad
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            {{extraLine}}
            """;

        var snapshot = await _pack.Persona("bad", yaml).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal("personas/bad.yaml", error.File);
        Assert.Contains(expected, error.Message);
        Assert.Null(snapshot.FindPersona("bad"));
        Assert.True(snapshot.CoreOnly);
    }

    [Fact]
    public async Task Load_BadValueInACheck_ReportedWithTheLineOfThatKey()
    {
        var yaml = """
            id: lines
            name: Lines
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: first
                when: { command: 'ls' }
                verdict: ask
                confidence: 0.8
                guidance: fine
              - id: second
                when: { command: 'rm' }
                verdict: perhaps
                confidence: 0.8
                guidance: fine
            """;

        var snapshot = await _pack.Persona("lines", yaml).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Contains("perhaps", error.Message, StringComparison.Ordinal);
        Assert.Equal(12, error.Line);
    }

    [Fact]
    public async Task Load_WrongKindOfValue_ReportedWithLineNotATypeName()
    {
        var snapshot = await _pack.Persona("kinds", "id: kinds\nname: K\nweight: heavy\ndefault: { verdict: allow, confidence: 0.97, guidance: ok }\n").LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal((3, "weight: 'heavy' is not a number"), (error.Line, error.Message));
    }

    [Fact]
    public async Task Load_UnknownKey_ReportedWithLine()
    {
        var yaml = """
            id: typo
            name: Typo
            wieght: 2
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            """;

        var snapshot = await _pack.Persona("typo", yaml).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Equal(3, error.Line);
        Assert.Contains("wieght", error.Message);
    }

    [Fact]
    public async Task Load_InvalidRegex_NamesCheckAndField()
    {
        var yaml = """
            id: regex
            name: Regex
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: broken
                when: { command: 'rm (-rf' }
                verdict: deny
                confidence: 0.9
                guidance: no
            """;

        var snapshot = await _pack.Persona("regex", yaml).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Contains("checks[0] (broken): when.command: invalid regex", error.Message);
    }

    [Fact]
    public async Task Load_SeveralProblems_AllReportedAtOnce()
    {
        var yaml = """
            id: many
            name: Many
            default: { verdict: maybe, confidence: 2, guidance: ok }
            checks:
              - id: a
                when: { operations: [shell_command] }
                verdict: deny
                confidence: 0.9
                severity: extreme
                guidance: no
            """;

        var snapshot = await _pack.Persona("many", yaml).LoadAsync();

        var messages = string.Join("\n", snapshot.LoadErrors.Select(e => e.Message));
        Assert.Contains("default.verdict 'maybe' must be one of allow, ask, deny", messages);
        Assert.Contains("default.confidence must be a number from 0 to 1", messages);
        Assert.Contains("'shell_command' is not an operation kind", messages);
        Assert.Contains("severity 'extreme' must be one of low, medium, high, critical", messages);
    }

    [Fact]
    public async Task Load_DuplicateIdWithBuiltIn_Rejected()
    {
        var snapshot = await _pack.Persona("core-safety", PackBuilder.MinimalPersona("core-safety")).LoadAsync();

        Assert.Contains(snapshot.LoadErrors, e => e.Message.Contains("already taken", StringComparison.Ordinal));
    }

    private async Task<IPersona> Load() =>
        (await _pack.Persona("git-test", PackBuilder.MinimalPersona("git-test")).LoadAsync()).FindPersona("git-test")!;

    private static Operation Command(string command) => new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };

    public void Dispose() => _pack.Dispose();
}
