using Governance.Abstractions.Decisions;
using Governance.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

/// <summary>
/// The on-disk image cache: a process that starts per tool call (the command hook) loads unchanged scripts
/// without a Roslyn compile; anything changed, damaged or unwritable falls back to compiling.
/// </summary>
public sealed class ScriptImageCacheTests : IDisposable
{
    private readonly TempDirectory _directory = new("governance-script-cache");

    private const string Persona = """
        return new PersonaScript
        {
            Id = "greeter",
            Name = "Greeter",
            Triggers = new ScriptTriggers { Operations = ["command_execution"] },
            Evaluate = (op, ct) => op.Command.Contains("hello") ? Verdicts.Deny(0.95, "hello", "No hellos.") : Verdicts.Allow(0.98, "No greeting."),
        };
        """;

    public void Dispose() => _directory.Dispose();

    private string CachePath => _directory.Combine("data", "script-cache");

    private RoslynScriptLoader NewProcess() => new(NullLogger<RoslynScriptLoader>.Instance, new ScriptImageCache(CachePath));

    private static Task<Abstractions.Policy.ScriptLoadResult> Load(RoslynScriptLoader loader, string text = Persona) =>
        loader.LoadPersonaAsync("/pack/personas/greeter.csx", "personas/greeter.csx", text, CancellationToken.None);

    private static Operation Bash(string command) => new() { Kind = OperationKinds.CommandExecution, Name = "Bash", ToolName = "Bash", Command = command };

    [Fact]
    public async Task LoadPersona_ImageCompiledWithAGrant_NotReusedWithoutIt()
    {
        var reader = "using System.IO;\nvar exists = File.Exists(\"/etc/hostname\");\n" + Persona;
        var granted = NewProcess();
        Assert.Empty((await granted.LoadPersonaAsync("/pack/personas/greeter.csx", "personas/greeter.csx", reader,
            Abstractions.Policy.ScriptCapabilities.FileIo, CancellationToken.None)).Errors);

        var withdrawn = NewProcess();
        var result = await withdrawn.LoadPersonaAsync("/pack/personas/greeter.csx", "personas/greeter.csx", reader,
            Abstractions.Policy.ScriptCapabilities.None, CancellationToken.None);

        Assert.Null(result.Persona);
        Assert.Contains("file I/O is off unless governance.scripts.allow lists file_io", Assert.Single(result.Errors).Message);
        Assert.Equal(0, withdrawn.LoadedFromCache);
    }

    [Fact]
    public async Task LoadPersona_SecondProcessSameScript_LoadsTheStoredImageWithoutCompiling()
    {
        var first = NewProcess();
        Assert.Empty((await Load(first)).Errors);
        Assert.Equal((1, 0), (first.CompiledFromSource, first.LoadedFromCache));
        Assert.Equal(2, Directory.GetFiles(CachePath).Length); // the image and its entry point

        var second = NewProcess();
        var result = await Load(second);

        Assert.Empty(result.Errors);
        Assert.Equal((0, 1), (second.CompiledFromSource, second.LoadedFromCache));
        var verdict = await result.Persona!.EvaluateAsync(Bash("echo hello"), CancellationToken.None);
        Assert.Equal(Verdict.Deny, verdict.Verdict);
    }

    [Fact]
    public async Task LoadPersona_ScriptChanged_CompilesTheNewText()
    {
        await Load(NewProcess());
        var changed = Persona.Replace("\"hello\"", "\"goodbye\"", StringComparison.Ordinal);

        var second = NewProcess();
        var result = await Load(second, changed);

        Assert.Equal((1, 0), (second.CompiledFromSource, second.LoadedFromCache));
        Assert.Equal(Verdict.Allow, (await result.Persona!.EvaluateAsync(Bash("echo hello"), CancellationToken.None)).Verdict);
        Assert.Equal(Verdict.Deny, (await result.Persona!.EvaluateAsync(Bash("echo goodbye"), CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task LoadPersona_StoredImageDamaged_CompilesAgainAndRepairsTheCache()
    {
        await Load(NewProcess());
        var image = Assert.Single(Directory.GetFiles(CachePath, "*.dll"));
        await File.WriteAllBytesAsync(image, [0x4d, 0x5a, 0, 1, 2, 3]);

        var second = NewProcess();
        var result = await Load(second);

        Assert.Empty(result.Errors);
        Assert.Equal((1, 0), (second.CompiledFromSource, second.LoadedFromCache));
        var third = NewProcess();
        Assert.Empty((await Load(third)).Errors);
        Assert.Equal((0, 1), (third.CompiledFromSource, third.LoadedFromCache));
    }

    [Fact]
    public async Task LoadPersona_CacheFolderCannotBeCreated_StillLoadsByCompiling()
    {
        Directory.CreateDirectory(_directory.Combine("data"));
        await File.WriteAllTextAsync(CachePath, "a file where the cache folder should be");

        var loader = NewProcess();
        var result = await Load(loader);

        Assert.Empty(result.Errors);
        Assert.Equal((1, 0), (loader.CompiledFromSource, loader.LoadedFromCache));
        Assert.Equal(Verdict.Deny, (await result.Persona!.EvaluateAsync(Bash("echo hello"), CancellationToken.None)).Verdict);
    }

    [Fact]
    public async Task LoadPersona_ScriptWithCompileError_LeavesNothingInTheCache()
    {
        var result = await Load(NewProcess(), "return new PersonaScript { Id = ; };");

        Assert.NotEmpty(result.Errors);
        Assert.False(Directory.Exists(CachePath) && Directory.EnumerateFileSystemEntries(CachePath).Any());
    }
}
