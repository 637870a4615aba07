namespace Governance.Core.Analysis;

/// <summary>Where one simple command sits: its redirections, stdin text and the pipeline feeding it.</summary>
internal sealed record CommandContext(
    IReadOnlyList<Redirection> Redirections,
    string? Heredoc,
    string? StdinText,
    string? StdinFrom,
    List<PipelineSegment> Pipeline,
    int Index,
    int PipelineId);
