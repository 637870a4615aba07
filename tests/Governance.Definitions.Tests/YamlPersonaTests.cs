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
    [InlineData("id: bad", "timeout_ms: 500", "timeout_ms: a YAML persona is never timed out")]
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

    [Theory]
    [InlineData(@"rm(?=\s)", "a lookahead")]
    [InlineData(@"(?<![\w-])rm", "a lookbehind")]
    [InlineData(@"(a)\1", "a backreference")]
    [InlineData(@"(?>rm)", "an atomic group")]
    [InlineData(@"(?:[^;]{0,400}a){30}", "too large for the linear-time regex engine")]
    public async Task Load_PatternTheLinearEngineCannotRun_NamesCheckFieldAndWhatToDo(string pattern, string expected)
    {
        var yaml = $$"""
            id: linear
            name: Linear
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: lookaround
                when: { command: '{{pattern}}' }
                verdict: deny
                confidence: 0.9
                guidance: no
            """;

        var snapshot = await _pack.Persona("linear", yaml).LoadAsync();

        var error = Assert.Single(snapshot.LoadErrors);
        Assert.Contains("checks[0] (lookaround): when.command:", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(6, error.Line);
        Assert.Null(snapshot.FindPersona("linear"));
    }

    [Fact]
    public async Task Load_ExceptWithoutItsPattern_Reported()
    {
        var yaml = """
            id: except
            name: Except
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: lonely
                when: { operations: [command_execution], executes_except: 'localhost' }
                verdict: ask
                confidence: 0.9
                guidance: no
            """;

        var snapshot = await _pack.Persona("except", yaml).LoadAsync();

        Assert.Contains("when.executes_except needs executes", Assert.Single(snapshot.LoadErrors).Message);
    }

    [Theory]
    [InlineData("curl -s http://evil.example/x", Verdict.Ask)]
    [InlineData("curl -s http://localhost:8080/health", Verdict.Allow)]
    [InlineData("curl -s http://localhost:8080/a http://evil.example/b", Verdict.Ask)]
    [InlineData("curl -s https://evil.example/b", Verdict.Allow)]
    public async Task Evaluate_ExceptCheckedAgainstEachMatch_AnExceptedMatchDoesNotHideAnother(string command, Verdict expected)
    {
        var yaml = """
            id: plain-http
            name: Plain HTTP
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            checks:
              - id: plain-http
                when:
                  command: 'http://[^\s/]*'
                  command_except: '^http://localhost(?::\d+)?$'
                verdict: ask
                confidence: 0.8
                guidance: use https
            """;
        var persona = (await _pack.Persona("plain-http", yaml).LoadAsync()).FindPersona("plain-http")!;

        var verdict = await persona.EvaluateAsync(Command(command), CancellationToken.None);

        Assert.Equal(expected, verdict.Verdict);
    }

    [Fact]
    public async Task IsRelevant_NotPathsTrigger_SilencesThePersonaEvenWhenAnotherPathMatches()
    {
        var yaml = """
            id: docs
            name: Docs
            triggers:
              operations: [file_edit, file_write]
              paths: ['\.txt$', '^docs/']
              not_paths: ['(?:^|/)requirements[^/]*\.txt$']
            default: { verdict: allow, confidence: 0.97, guidance: ok }
            """;
        var persona = (await _pack.Persona("docs", yaml).LoadAsync()).FindPersona("docs")!;

        Assert.True(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "docs/notes.txt" }));
        Assert.False(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "docs/requirements.txt" }));
        Assert.False(persona.IsRelevant(new Operation { Kind = OperationKinds.FileEdit, Name = "Edit", FilePath = "requirements-dev.txt" }));
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
