namespace Governance.Abstractions.Policy;

/// <summary>A policy file that did not load, with where and why.</summary>
public sealed record PolicyLoadError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
