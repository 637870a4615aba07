namespace Governance.Analysis.Shell;

/// <summary>The operator of a redirection.</summary>
public enum RedirectOperator
{
    /// <summary><c>&lt;</c></summary>
    Input,

    /// <summary><c>&gt;</c></summary>
    Output,

    /// <summary><c>&gt;&gt;</c></summary>
    Append,

    /// <summary><c>&gt;|</c></summary>
    Clobber,

    /// <summary><c>&lt;&gt;</c></summary>
    ReadWrite,

    /// <summary><c>&lt;&amp;</c></summary>
    DuplicateInput,

    /// <summary><c>&gt;&amp;</c></summary>
    DuplicateOutput,

    /// <summary><c>&amp;&gt;</c></summary>
    OutputAndError,

    /// <summary><c>&amp;&gt;&gt;</c></summary>
    AppendOutputAndError,

    /// <summary><c>&lt;&lt;</c></summary>
    Heredoc,

    /// <summary><c>&lt;&lt;-</c> (leading tabs stripped)</summary>
    HeredocStripTabs,

    /// <summary><c>&lt;&lt;&lt;</c></summary>
    HereString,
}
