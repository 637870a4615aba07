namespace Governance.Analysis.Shell;

/// <summary>One element of an array value: <c>word</c> or <c>[key]=word</c>.</summary>
public sealed record ArrayElement(Word? Key, Word Value) : ShellNode;
