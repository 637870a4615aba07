namespace Governance.Abstractions.Storage;

/// <summary>Filters for history queries; every filter is optional and they combine with AND.</summary>
public sealed record DecisionQuery
{
    public string? SessionId { get; init; }
    public string? Operation { get; init; }
    public string? Verdict { get; init; }
    /// <summary>Case-insensitive substring of the subject (command, path, URL) or summary.</summary>
    public string? Pattern { get; init; }
    public DateTimeOffset? Since { get; init; }
    public string? CorrelationId { get; init; }
    public int Limit { get; init; } = 20;

    public const int MaxLimit = 500;
}
