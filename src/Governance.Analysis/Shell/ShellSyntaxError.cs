namespace Governance.Analysis.Shell;

/// <summary>Why a script could not be parsed, and where (offset, 1-based line and column).</summary>
public sealed record ShellSyntaxError(int Offset, int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}
