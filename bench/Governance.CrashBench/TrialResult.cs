namespace Governance.CrashBench;

/// <summary>
/// One kill: how many decisions the harness had read from stdout (answered), how many of those the file lacks
/// (lost), for the lost ones how long before the kill they had been read (their age at the kill), and how long the
/// store's group commits took.
/// </summary>
internal sealed record TrialResult(
    string Durability,
    int Trial,
    int KillAfterMs,
    int Answered,
    int Lost,
    int Stored,
    double OldestLostAgeMs,
    double AnswersPerSecond,
    int AnsweredAfterKill,
    double[] CommitMs,
    string? Failure)
{
    /// <summary>The longest group commit the store logged in this trial (the one cut short by the kill is not among them).</summary>
    public double LongestCommitMs => CommitMs.Length == 0 ? 0 : CommitMs.Max();
}
