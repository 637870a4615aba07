using Governance.Abstractions.Policy;

namespace Governance.Definitions.Tests;

public sealed class PolicyLoaderTests : IDisposable
{
    private readonly PackBuilder _pack = new();

    [Fact]
    public async Task Load_SameFiles_SameRevision()
    {
        _pack.Persona("p-one", PackBuilder.MinimalPersona("p-one"));

        var first = await _pack.LoadAsync();
        var second = await _pack.LoadAsync();

        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(16, first.Revision.Length);
    }

    [Fact]
    public async Task Load_ChangedFile_NewRevision()
    {
        _pack.Persona("p-one", PackBuilder.MinimalPersona("p-one"));
        var before = await _pack.LoadAsync();

        _pack.Persona("p-one", PackBuilder.MinimalPersona("p-one") + "\n# a comment changes the revision too\n");
        var after = await _pack.LoadAsync();

        Assert.NotEqual(before.Revision, after.Revision);
    }

    [Fact]
    public async Task Load_ChangedThresholds_NewRevision()
    {
        var before = await _pack.LoadAsync(new PolicyThresholds { ComplianceLevel = 0.95 });
        var after = await _pack.LoadAsync(new PolicyThresholds { ComplianceLevel = 0.9 });

        Assert.NotEqual(before.Revision, after.Revision);
    }

    [Fact]
    public async Task Load_NoPersonaFolder_CoreOnlyWithBuiltIns()
    {
        var snapshot = await _pack.LoadAsync();

        Assert.True(snapshot.CoreOnly);
        Assert.Equal(["core-safety"], snapshot.Personas.Select(p => p.Descriptor.Id));
    }

    [Fact]
    public async Task Load_BuiltInsAlwaysOnThePanel()
    {
        var snapshot = await _pack.Persona("p-one", PackBuilder.MinimalPersona("p-one")).LoadAsync();

        Assert.False(snapshot.CoreOnly);
        Assert.Equal(["core-safety", "p-one"], snapshot.Personas.Select(p => p.Descriptor.Id));
    }

    [Fact]
    public async Task Load_NonPolicyFilesIgnored()
    {
        _pack.Write("personas", "README.md", "# notes").Write("rules", "notes.txt", "x");

        var snapshot = await _pack.LoadAsync();

        Assert.Empty(snapshot.LoadErrors);
        Assert.Empty(snapshot.Files);
    }

    public void Dispose() => _pack.Dispose();
}
