namespace Governance.Analysis.Shell;

/// <summary>A piece of a word: literal text, a quoted string, or an expansion.</summary>
public abstract record WordPart : ShellNode;
