using Governance.Analysis.Shell;

namespace Governance.Analysis.Evaluation;

/// <summary>
/// What the evaluator knows at a point of the script: variables (a scalar is a one-element array; null values are
/// unknown), functions, aliases, positional parameters and the working directory. Subshells and branches work on clones;
/// <see cref="Merge"/> keeps what every branch agrees on.
/// </summary>
internal sealed class ShellState
{
    public Dictionary<string, IReadOnlyList<ShellWord>?> Variables { get; private init; } = new(StringComparer.Ordinal);

    public Dictionary<string, ShellCommand> Functions { get; private init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Aliases { get; private init; } = new(StringComparer.Ordinal);

    public IReadOnlyList<ShellWord> Positional { get; set; } = [];

    /// <summary>The working directory when known (null: the one the command started in, or unknown after a cd to a run-time value).</summary>
    public string? WorkingDirectory { get; set; }

    public bool WorkingDirectoryKnown { get; set; } = true;

    public bool InTemporaryDirectory { get; set; }

    public ShellState Clone() => new()
    {
        Variables = new Dictionary<string, IReadOnlyList<ShellWord>?>(Variables, StringComparer.Ordinal),
        Functions = new Dictionary<string, ShellCommand>(Functions, StringComparer.Ordinal),
        Aliases = new Dictionary<string, string>(Aliases, StringComparer.Ordinal),
        Positional = Positional,
        WorkingDirectory = WorkingDirectory,
        WorkingDirectoryKnown = WorkingDirectoryKnown,
        InTemporaryDirectory = InTemporaryDirectory,
    };

    /// <summary>After branches that may or may not run: a variable keeps its value only when every branch left it the same.</summary>
    public void Merge(IReadOnlyList<ShellState> branches)
    {
        foreach (var branch in branches)
        {
            foreach (var (name, value) in branch.Variables)
            {
                if (!Variables.TryGetValue(name, out var mine) || !Same(mine, value))
                {
                    Variables[name] = null;
                }
            }
            foreach (var (name, body) in branch.Functions)
            {
                Functions.TryAdd(name, body);
            }
            foreach (var (name, text) in branch.Aliases)
            {
                Aliases.TryAdd(name, text);
            }
            if (branch.WorkingDirectory != WorkingDirectory || branch.WorkingDirectoryKnown != WorkingDirectoryKnown)
            {
                WorkingDirectoryKnown = false;
                InTemporaryDirectory &= branch.InTemporaryDirectory;
            }
        }
    }

    private static bool Same(IReadOnlyList<ShellWord>? a, IReadOnlyList<ShellWord>? b) =>
        a is not null && b is not null && a.SequenceEqual(b);
}
