namespace Governance.Abstractions.Analysis;

/// <summary>One command the operation would execute, with wrappers peeled and quotes removed.</summary>
public sealed class AnalyzedCommand
{
    /// <summary>Program name (basename of argv[0]), e.g. "rm"; empty for a bare redirection such as "&gt; file".</summary>
    public required string Name { get; init; }
    public required IReadOnlyList<string> Arguments { get; init; }
    /// <summary>Name and arguments joined by single spaces: what YAML <c>executes</c> patterns match.</summary>
    public required string Text { get; init; }
    /// <summary>Wrappers it ran under (sudo, env, timeout, xargs, ...), outermost first.</summary>
    public IReadOnlyList<string> Wrappers { get; init; } = [];
    /// <summary>How it comes to run: direct, pipeline, subshell, substitution, shell-reentry, eval, find-exec, xargs, decoded, interpreter, script.</summary>
    public string Origin { get; init; } = "direct";
    /// <summary>Code or statements it runs inline (python -c, a heredoc, SQL piped to psql); empty when none.</summary>
    public string Code { get; init; } = "";
    /// <summary>Nesting depth of re-entry (0 for the command line itself).</summary>
    public int Depth { get; init; }

    public override string ToString() => Text;
}
