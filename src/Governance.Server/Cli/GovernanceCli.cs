using System.CommandLine;
using Governance.Server.Configuration;

namespace Governance.Server.Cli;

/// <summary>The command line: global options and one subcommand per surface.</summary>
internal static class GovernanceCli
{
    public static RootCommand Build()
    {
        var config = new Option<string?>("--config") { Description = "Configuration file (default: mcp_config.yaml beside the executable, then in the working directory).", Recursive = true };
        var root = new Option<string?>("--root") { Description = "Folder holding personas/, rules/ and plugins/ (default: the configuration file's folder).", Recursive = true };
        var transport = new Option<string>("--transport") { Description = "stdio (default), or http: 127.0.0.1 on port.preferred (else the first free port of the range) with MCP at /mcp, /health and the http hook endpoints /hooks/pre-tool-use, /hooks/post-tool-use.", DefaultValueFactory = _ => "stdio" };

        var serve = new Command("serve", "Run the MCP server over stdio (the default command) or HTTP.") { transport };
        serve.SetAction((result, token) => Run(result, config, root, settings => ServeCommand.RunAsync(settings, result.GetValue(transport)!, token), needsPack: true));

        var decide = new Command("decide", "Read JSON lines {\"operation\", \"context\"} on stdin; write one decision JSON per line on stdout.");
        decide.SetAction((result, token) => Run(result, config, root, settings => DecideCommand.RunAsync(settings, Console.OpenStandardInput(), Console.Out, token), needsPack: true));

        var last = new Option<int>("--last") { Description = "How many of the most recent decisions (1-500).", DefaultValueFactory = _ => 20 };
        var session = new Option<string?>("--session") { Description = "Only this session's decisions." };
        var verdict = new Option<string?>("--verdict") { Description = "Only allow, ask, deny or error." };
        var pattern = new Option<string?>("--pattern") { Description = "Case-insensitive text in the command, path, URL or summary." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var history = new Command("history", "Show recent decisions from the store as a table.") { last, session, verdict, pattern, json };
        history.SetAction((result, token) => Run(result, config, root, settings => HistoryCommand.RunAsync(settings, result.GetValue(last),
            result.GetValue(session), result.GetValue(verdict), result.GetValue(pattern), result.GetValue(json), Console.Out, token)));

        var corpus = new Option<string>("--corpus") { Description = "Folder of labelled *.jsonl cases.", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "Fail when accuracy falls below this recorded baseline or a new case is missed." };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Record this run's figures and misses as the baseline." };
        var verbose = new Option<bool>("--verbose") { Description = "List every mismatched case, not the first 25." };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "targets (default): exit 1 below the accuracy targets or on a regression; regression: exit 1 only on a regression against --baseline (a ratchet for a corpus still short of the targets).",
            DefaultValueFactory = _ => "targets",
        };
        failOn.AcceptOnlyFromAmong("targets", "regression");
        var test = new Command("test", "Run a labelled corpus through the policy and print accuracy per category.") { corpus, baseline, writeBaseline, verbose, failOn };
        test.SetAction((result, token) => Run(result, config, root, settings => TestCommand.RunAsync(settings, result.GetValue(corpus)!, result.GetValue(baseline),
            result.GetValue(writeBaseline), result.GetValue(verbose), Console.Out, Console.Error, token, onlyRegressions: result.GetValue(failOn) == "regression"), needsPack: true));

        var project = new Option<string?>("--project") { Description = "The repository to wire (default: the current directory)." };
        var scope = new Option<string>("--scope") { Description = "project (.mcp.json, .claude/settings.json) or user (~/.claude.json, ~/.claude/settings.json).", DefaultValueFactory = _ => "project" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change without writing." };
        var remove = new Option<bool>("--remove") { Description = "Take out exactly what init adds." };
        var hookKind = new Option<string?>("--hook") { Description = "command (default: governance hook, a process per call answered by the running server; reviews every call, can fail closed), mcp_tool (calls the connected server, no process per call, but Claude Code skips it until the server has connected) or http (POSTs to a running serve --transport http; API key from GOVERNANCE_API_KEY)." };
        var url = new Option<string?>("--url") { Description = "--hook http: the HTTP service (default: the one running on this pack, else http://127.0.0.1:<port.preferred>)." };
        var initFailClosed = new Option<bool>("--fail-closed") { Description = "Block every call governance cannot review (command: exit 2; http: the service answers deny). Not with mcp_tool." };
        var init = new Command("init", "Wire Claude Code to this server: the MCP server entry and PreToolUse/PostToolUse hooks, merged into existing files.")
        {
            project, scope, hookKind, url, initFailClosed, dryRun, remove,
        };
        init.SetAction((result, token) => Run(result, config, root, settings => InitCommand.RunAsync(settings, result.GetValue(project), result.GetValue(scope)!,
            result.GetValue(hookKind), result.GetValue(url), result.GetValue(initFailClosed), result.GetValue(dryRun), result.GetValue(remove), Console.Out, Console.Error)));

        var hookFailClosed = new Option<bool>("--fail-closed") { Description = "Block the call (exit 2) whenever governance cannot review it, instead of allowing it with a warning." };
        var noForward = new Option<bool>("--no-forward") { Description = "Decide in this process even when a server on the same pack is running." };
        var hook = new Command("hook", "Claude Code command hook: a PreToolUse payload on stdin gets an allow / ask / deny answer on stdout; PostToolUse records what ran.")
        {
            hookFailClosed, noForward,
        };
        hook.SetAction((result, token) => HookCommand.RunAsync(
            () => ConfigLoader.Load(result.GetValue(config), result.GetValue(root), Environment.GetEnvironmentVariable),
            result.GetValue(hookFailClosed), !result.GetValue(noForward), Console.OpenStandardInput(), Console.Out, Console.Error, token));

        var command = new RootCommand("Governance server for coding agents: allow / ask / deny before a command runs, a file changes or a tool is called.")
        {
            config, root, serve, decide, hook, history, test, init,
        };
        command.SetAction((result, token) => Run(result, config, root, settings => ServeCommand.RunAsync(settings, "stdio", token), needsPack: true));
        return command;
    }

    private static async Task<int> Run(ParseResult result, Option<string?> config, Option<string?> root, Func<GovernanceSettings, Task<int>> action,
        bool needsPack = false)
    {
        GovernanceSettings settings;
        try
        {
            settings = ConfigLoader.Load(result.GetValue(config), result.GetValue(root), Environment.GetEnvironmentVariable);
            Logging.StderrRedaction.UseKeyOf(settings);
            if (needsPack)
            {
                PackCheck.Verify(settings);
            }
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"governance: {ex.Message}");
            return 2;
        }
        return await action(settings);
    }
}
