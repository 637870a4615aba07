namespace Governance.Analysis.Shell;

/// <summary>The syntax tree of a script, or the error that stopped the parse (never both).</summary>
public sealed record ShellParseResult(CommandList? Script, ShellSyntaxError? Error)
{
    public bool Succeeded => Script is not null;
}
