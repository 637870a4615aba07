using Governance.Abstractions.Policy;

namespace Governance.Definitions.Loading;

/// <summary>Collects the problems of one file, so an author sees all of them at once rather than one per save.</summary>
internal sealed class LoadProblems(string file)
{
    private readonly List<PolicyLoadError> _errors = [];

    public string File { get; } = file;
    public IReadOnlyList<PolicyLoadError> Errors => _errors;
    public bool Any => _errors.Count > 0;

    /// <summary>Where the file's keys are; a problem added without a position gets the line of the key its message names.</summary>
    public YamlShape.Marks? Marks { get; set; }

    public void Add(string message, int line = 0, int column = 0)
    {
        if (line == 0 && Marks?.Locate(message) is { } at)
        {
            (line, column) = at;
        }
        _errors.Add(new PolicyLoadError(File, line, column, message));
    }
}
