namespace Governance.Server.Cli;

/// <summary>Which Claude Code hook type <c>governance init</c> writes.</summary>
internal enum HookKind
{
    /// <summary>Calls pre_tool_use / post_tool_use on the already connected stdio server.</summary>
    McpTool,
    /// <summary>Runs <c>governance hook</c>, a process per call, needing nothing running.</summary>
    Command,
    /// <summary>POSTs to a running <c>governance serve --transport http</c>.</summary>
    Http,
}
