namespace Governance.Analysis.Evaluation;

/// <summary>
/// A simple command the script runs, as the shell would run it: variables, arrays, loop variables, aliases, functions and
/// substitutions resolved as far as they can be statically. <see cref="Origin"/> says how it was reached ("script",
/// "substitution", "function f", "alias ll", "eval", "sh -c", "stdin of bash", …); <see cref="StdinText"/> is the text
/// fed to it when that is known (a here-document, a here-string, or the output of a literal producer piped in).
/// </summary>
public sealed record EvaluatedCommand(
    IReadOnlyList<ShellWord> Arguments,
    IReadOnlyList<EvaluatedRedirect> Redirects,
    IReadOnlyDictionary<string, ShellWord> Assignments,
    string Origin,
    int Depth,
    string? WorkingDirectory,
    bool InTemporaryDirectory,
    string? StdinText)
{
    /// <summary>The command name's last path segment (<c>/usr/bin/rm</c> → <c>rm</c>), or null when it is not known.</summary>
    /// <summary>Serial number of the pipeline the command belongs to in this evaluation; the commands of one pipeline share it.</summary>
    public int Pipeline { get; init; } = -1;

    /// <summary>Position in its pipeline: 0 for the first command, which reads no pipe.</summary>
    public int Stage { get; init; }

    public string? Name => Arguments.Count > 0 && Arguments[0].Known ? Basename(Arguments[0].Text) : null;

    public override string ToString() => string.Join(' ', Arguments.Select(a => a.Text));

    private static string Basename(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
