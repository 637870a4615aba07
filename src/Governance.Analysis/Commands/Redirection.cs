namespace Governance.Analysis.Commands;

/// <summary>A redirection of one command: operator (">", "2>&1", "&lt;&lt;", ...), its target word and the file descriptor written before it.</summary>
public sealed record Redirection(string Operator, string Target, int? FileDescriptor);
