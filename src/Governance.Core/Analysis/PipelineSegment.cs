namespace Governance.Core.Analysis;

/// <summary>The words and redirections of one simple command, before wrappers and variables are resolved.</summary>
internal sealed class PipelineSegment
{
    public List<ShellToken> Words { get; } = [];

    public List<ShellToken> Redirections { get; } = [];

    public bool IsEmpty => Words.Count == 0 && Redirections.Count == 0;

    /// <summary>Text fed on stdin by a heredoc or here-string, if any.</summary>
    public string? StdinText()
    {
        foreach (var r in Redirections)
        {
            if (r.Text is "<<" or "<<-")
            {
                return r.HeredocBody;
            }

            if (r.Text == "<<<")
            {
                return (r.Target?.Text ?? "") + "\n";
            }
        }

        return null;
    }
}
