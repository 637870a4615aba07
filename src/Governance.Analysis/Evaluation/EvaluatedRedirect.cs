using Governance.Analysis.Shell;

namespace Governance.Analysis.Evaluation;

/// <summary>A redirection with its target evaluated (for a here-document or here-string, the text fed to stdin).</summary>
public sealed record EvaluatedRedirect(int? FileDescriptor, RedirectOperator Operator, ShellWord Target);
