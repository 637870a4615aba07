using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Governance.Scripting.Containment;

/// <summary>
/// Resolves the framework assemblies a script's references forward to, and nothing a script names itself: `#r`
/// never reads a file (the containment check reports it).
/// </summary>
internal sealed class FrameworkOnlyResolver(MetadataReferenceResolver framework) : MetadataReferenceResolver
{
    public override bool ResolveMissingAssemblies => framework.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        framework.ResolveMissingAssembly(definition, referenceIdentity);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];

    public override bool Equals(object? other) => other is FrameworkOnlyResolver resolver && resolver.GetHashCode() == GetHashCode();

    public override int GetHashCode() => framework.GetHashCode();
}
