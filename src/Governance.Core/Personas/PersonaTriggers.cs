using System.Text.RegularExpressions;
using Governance.Abstractions.Decisions;

namespace Governance.Core.Personas;

/// <summary>
/// When a persona speaks: the kind must be listed (or no list), and if any command/path/URL patterns are
/// given, at least one must match. Shared by YAML and script personas so they trigger the same way.
/// </summary>
public sealed class PersonaTriggers
{
    public static PersonaTriggers Always { get; } = new();

    public IReadOnlySet<string>? Kinds { get; init; }
    public IReadOnlyList<Regex> Commands { get; init; } = [];
    public IReadOnlyList<Regex> Paths { get; init; } = [];
    /// <summary>Paths that never make the persona speak, even when another trigger matches.</summary>
    public IReadOnlyList<Regex> NotPaths { get; init; } = [];
    public IReadOnlyList<Regex> Urls { get; init; } = [];

    public bool Matches(Operation operation)
    {
        if (Kinds is not null && !Kinds.Contains(operation.Kind))
        {
            return false;
        }
        if (AnyMatch(NotPaths, operation.FilePath))
        {
            return false;
        }
        if (Commands.Count == 0 && Paths.Count == 0 && Urls.Count == 0)
        {
            return true;
        }
        return AnyMatch(Commands, operation.Command) || AnyMatch(Paths, operation.FilePath) || AnyMatch(Urls, operation.Url);
    }

    /// <summary>Builds triggers from author input, collecting every problem with where it is.</summary>
    public static PersonaTriggers Create(IReadOnlyList<string>? kinds, IReadOnlyList<string>? commands, IReadOnlyList<string>? paths,
        IReadOnlyList<string>? urls, string where, List<string> problems, IReadOnlyList<string>? notPaths = null) => new()
        {
            NotPaths = Compile(notPaths, $"{where}.not_paths", problems),
            Kinds = KindSet(kinds, $"{where}.operations", problems),
            Commands = Compile(commands, $"{where}.commands", problems),
            Paths = Compile(paths, $"{where}.paths", problems),
            Urls = Compile(urls, $"{where}.urls", problems),
        };

    public static HashSet<string>? KindSet(IReadOnlyList<string>? names, string where, List<string> problems)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!OperationKinds.All.Contains(name))
            {
                problems.Add($"{where}: '{name}' is not an operation kind; use {string.Join(", ", OperationKinds.All)}");
            }
            kinds.Add(name);
        }
        return kinds;
    }

    private static List<Regex> Compile(IReadOnlyList<string>? patterns, string where, List<string> problems)
    {
        var compiled = new List<Regex>();
        for (var i = 0; i < (patterns?.Count ?? 0); i++)
        {
            if (PolicyRegex.TryCreate(patterns![i], out var error) is { } regex)
            {
                compiled.Add(regex);
            }
            else
            {
                problems.Add($"{where}[{i}]: {error}");
            }
        }
        return compiled;
    }

    private static bool AnyMatch(IReadOnlyList<Regex> patterns, string value)
    {
        if (value.Length == 0)
        {
            return false;
        }
        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(value))
            {
                return true;
            }
        }
        return false;
    }
}
