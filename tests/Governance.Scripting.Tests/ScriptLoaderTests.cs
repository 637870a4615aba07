using Governance.Abstractions.Decisions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

public sealed class ScriptLoaderTests
{
    private readonly RoslynScriptLoader _loader = new(NullLogger<RoslynScriptLoader>.Instance);

    private const string Persona = """
        return new PersonaScript
        {
            Id = "greeter",
            Name = "Greeter",
            Expertise = "greetings",
            Weight = 2,
            TimeoutMs = 250,
            Triggers = new ScriptTriggers { Operations = ["command_execution"], Commands = [@"\becho\b"] },
            Evaluate = (op, ct) => op.Command.Contains("hello")
                ? Verdicts.Deny(0.95, "hello", "Say goodbye instead.", "Hellos are forbidden here.", Severity.Critical, "Use echo goodbye.")
                : Verdicts.Allow(0.98, "No greeting."),
        };
        """;

    [Fact]
    public async Task LoadPersona_ValidScript_BehavesLikeAnyPersona()
    {
        var result = await _loader.LoadPersonaAsync("/pack/personas/greeter.csx", "personas/greeter.csx", Persona, CancellationToken.None);

        Assert.Empty(result.Errors);
        var persona = result.Persona!;
        Assert.Equal(("greeter", "Greeter", "greetings", 2.0, "script"), (persona.Descriptor.Id, persona.Descriptor.Name, persona.Descriptor.Expertise, persona.Descriptor.Weight, persona.Descriptor.Source));
        Assert.Equal(TimeSpan.FromMilliseconds(250), persona.Descriptor.Timeout);
        Assert.True(persona.IsRelevant(Bash("echo hello")));
        Assert.False(persona.IsRelevant(Bash("ls")));
        var verdict = await persona.EvaluateAsync(Bash("echo hello"), CancellationToken.None);
        Assert.Equal(Verdict.Deny, verdict.Verdict);
        Assert.Equal("greeter/hello", Assert.Single(verdict.Warnings).Code);
        Assert.Equal("greeter", verdict.Warnings[0].Source);
        Assert.Equal(["Use echo goodbye."], verdict.Recommendations);
    }

    [Fact]
    public async Task LoadPersona_SameContentTwice_CompiledOnce()
    {
        var first = await _loader.LoadPersonaAsync("greeter.csx", "personas/greeter.csx", Persona, CancellationToken.None);
        var second = await _loader.LoadPersonaAsync("greeter.csx", "personas/greeter.csx", Persona, CancellationToken.None);

        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(1, _loader.LoadedScripts);
    }

    [Fact]
    public async Task LoadPersona_SyntaxError_ReportsFileLineColumnAndMessage()
    {
        var text = "return new PersonaScript\n{\n    Id = \"broken\",\n    Name = ;\n};\n";

        var result = await _loader.LoadPersonaAsync("broken.csx", "personas/broken.csx", text, CancellationToken.None);

        Assert.Null(result.Persona);
        var error = result.Errors[0];
        Assert.Equal(("personas/broken.csx", 4), (error.File, error.Line));
        Assert.True(error.Column > 0);
        Assert.StartsWith("CS", error.Message);
    }

    [Fact]
    public async Task LoadPersona_MissingRequiredMember_CompileErrorNamesIt()
    {
        var result = await _loader.LoadPersonaAsync("x.csx", "personas/x.csx", "return new PersonaScript { Id = \"x\", Name = \"x\" };", CancellationToken.None);

        Assert.Contains(result.Errors, e => e.Message.Contains("Evaluate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("return 42;", "must end with `return new PersonaScript")]
    [InlineData("return null;", "it returned nothing")]
    [InlineData("throw new InvalidOperationException(\"boom\");", "the script threw InvalidOperationException: boom")]
    public async Task LoadPersona_WrongResult_ClearError(string text, string expected)
    {
        var result = await _loader.LoadPersonaAsync("x.csx", "personas/x.csx", text, CancellationToken.None);

        Assert.Contains(expected, Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("Id = \"Other\"", "must be kebab-case")]
    [InlineData("Id = \"other\"", "must equal the file name 'greeter'")]
    [InlineData("Id = \"greeter\", Weight = 0", "Weight 0 must be greater than 0")]
    [InlineData("Id = \"greeter\", Triggers = new ScriptTriggers { Operations = [\"shell\"] }", "'shell' is not an operation kind")]
    [InlineData("Id = \"greeter\", Triggers = new ScriptTriggers { Commands = [\"(\"] }", "Triggers.commands[0]: invalid regex")]
    public async Task LoadPersona_BadMetadata_ValidatedLikeYaml(string members, string expected)
    {
        var text = $"return new PersonaScript {{ {members}, Name = \"n\", Evaluate = (op, ct) => Verdicts.Allow(1, \"ok\") }};";

        var result = await _loader.LoadPersonaAsync("/p/personas/greeter.csx", "personas/greeter.csx", text, CancellationToken.None);

        Assert.Null(result.Persona);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadPlugin_EnricherAndCheck_PrefixCodesWithPluginId()
    {
        var text = """
            return new PluginScript
            {
                Id = "facts",
                Enrich = (op, ct) => new Dictionary<string, string> { ["length"] = op.Command.Length.ToString() },
                Check = (op, ct) => [new GovernanceWarning("long", Severity.Low, "long command", "")],
            };
            """;

        var result = await _loader.LoadPluginAsync("/p/plugins/facts.csx", "plugins/facts.csx", text, CancellationToken.None);

        Assert.Empty(result.Errors);
        Assert.Equal("3", result.Enricher!.Enrich(Bash("abc"), CancellationToken.None)["length"]);
        Assert.Equal("facts/long", Assert.Single(result.Check!.Check(Bash("abc"), CancellationToken.None)).Code);
        Assert.Equal("enricher+check", result.Enricher.Descriptor.Kind);
    }

    [Fact]
    public async Task LoadPlugin_NeitherEnrichNorCheck_Rejected()
    {
        var result = await _loader.LoadPluginAsync("/p/plugins/empty.csx", "plugins/empty.csx", "return new PluginScript { Id = \"empty\" };", CancellationToken.None);

        Assert.Contains("needs Enrich", Assert.Single(result.Errors).Message);
    }

    internal static Operation Bash(string command) => new() { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = command };
}
