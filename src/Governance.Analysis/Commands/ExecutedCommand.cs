using Governance.Analysis.Shell;
namespace Governance.Analysis.Commands;

/// <summary>One command that a shell command line executes, with wrappers peeled and quotes removed.</summary>
public sealed class ExecutedCommand
{
    /// <summary>Basename of argv[0] after wrappers, e.g. "rm"; empty for a redirection-only command such as "&gt; file".</summary>
    public required string Name { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required IReadOnlyList<Redirection> Redirections { get; init; }

    public required IReadOnlyDictionary<string, string> Assignments { get; init; }

    public required IReadOnlyList<string> Wrappers { get; init; }

    public required CommandOrigin Origin { get; init; }

    public required int Depth { get; init; }

    /// <summary>"pipe:&lt;first command of the pipeline&gt;", "heredoc" or "herestring" when stdin is fed by the command line.</summary>
    public string? StdinFrom { get; init; }

    public string? Heredoc { get; init; }

    /// <summary>Code given inline to a shell or interpreter (-c, -e, heredoc, decoded pipe), for callers that inspect it.</summary>
    public string? InlineCode { get; init; }

    /// <summary>Serial number of the pipeline the command belongs to (-1 for find -exec); commands of one pipeline share it.</summary>
    public int Pipeline { get; init; } = -1;

    /// <summary>Position in its pipeline (0 for the first command).</summary>
    public int Stage { get; init; }

    public override string ToString() => Arguments.Count == 0 ? Name : Name + " " + string.Join(' ', Arguments);
}
