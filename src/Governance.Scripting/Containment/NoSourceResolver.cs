using Microsoft.CodeAnalysis;

namespace Governance.Scripting.Containment;

/// <summary>Resolves no source file: `#load` never reads one (the containment check reports it).</summary>
internal sealed class NoSourceResolver : SourceReferenceResolver
{
    public static readonly NoSourceResolver Instance = new();

    public override string? NormalizePath(string path, string? baseFilePath) => null;

    public override string? ResolveReference(string path, string? baseFilePath) => null;

    public override Stream OpenRead(string resolvedPath) => throw new FileNotFoundException("scripts cannot load other files", resolvedPath);

    public override bool Equals(object? other) => other is NoSourceResolver;

    public override int GetHashCode() => nameof(NoSourceResolver).GetHashCode(StringComparison.Ordinal);
}
