namespace Governance.Analysis.Commands;

/// <summary>
/// Where one simple command sits: its redirections, the text fed to its stdin when known, its pipeline, and whether a
/// decoding step earlier in that pipeline produced what it reads.
/// </summary>
internal sealed record CommandContext(
    IReadOnlyList<Redirection> Redirections,
    string? Heredoc,
    string? StdinText,
    string? StdinFrom,
    int Stage,
    int PipelineId,
    bool Encoded);
