namespace Governance.Analysis.Shell;

/// <summary><c>case word in pattern) … ;; esac</c>.</summary>
public sealed record CaseCommand(Word Subject, IReadOnlyList<CaseItem> Items) : ShellCommand;
