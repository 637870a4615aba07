namespace Governance.Analysis.Shell;

/// <summary>How two pipelines of an and-or list are joined.</summary>
public enum AndOrOperator
{
    /// <summary><c>&amp;&amp;</c>: the next runs when this one succeeded.</summary>
    And,

    /// <summary><c>||</c>: the next runs when this one failed.</summary>
    Or,
}
