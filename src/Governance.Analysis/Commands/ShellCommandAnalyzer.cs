namespace Governance.Analysis.Commands;

/// <summary>Static analysis of a shell command line: which commands it would execute, through which wrappers and indirections.</summary>
public static class ShellCommandAnalyzer
{
    /// <summary>Longest input analysed; the rest is reported as truncated so callers can treat it as opaque.</summary>
    public const int MaxInputLength = 64 * 1024;

    /// <summary>Analyses <paramref name="command"/>; never throws, and does bounded work for any input.</summary>
    public static ShellAnalysis Analyze(string command, int maxDepth = 8)
    {
        command ??= "";
        var truncated = command.Length > MaxInputLength;
        var session = new AnalysisSession(Math.Clamp(maxDepth, 0, 32));
        try
        {
            if (truncated)
            {
                session.Opaque($"input longer than {MaxInputLength} characters was truncated");
            }

            session.AnalyzeText(truncated ? command[..MaxInputLength] : command, CommandOrigin.Direct, 0);
        }
        catch (Exception ex)
        {
            // Fault isolation: a lexer bug must not take the decision down; the result says it is incomplete.
            session.Opaque("analyser fault: " + ex.GetType().Name);
        }

        return session.ToResult(truncated);
    }
}
