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
        var transport = new Option<string>("--transport") { Description = "stdio (default).", DefaultValueFactory = _ => "stdio" };

        var serve = new Command("serve", "Run the MCP server over stdio (the default command).") { transport };
        serve.SetAction((result, token) => Run(result, config, root, settings => ServeCommand.RunAsync(settings, result.GetValue(transport)!, token)));

        var decide = new Command("decide", "Read JSON lines {\"operation\", \"context\"} on stdin; write one decision JSON per line on stdout.");
        decide.SetAction((result, token) => Run(result, config, root, settings => DecideCommand.RunAsync(settings, Console.In, Console.Out, token)));

        var command = new RootCommand("Governance server for coding agents: allow / ask / deny before a command runs, a file changes or a tool is called.")
        {
            config, root, serve, decide,
        };
        command.SetAction((result, token) => Run(result, config, root, settings => ServeCommand.RunAsync(settings, "stdio", token)));
        return command;
    }

    private static async Task<int> Run(ParseResult result, Option<string?> config, Option<string?> root, Func<GovernanceSettings, Task<int>> action)
    {
        GovernanceSettings settings;
        try
        {
            settings = ConfigLoader.Load(result.GetValue(config), result.GetValue(root), Environment.GetEnvironmentVariable);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"governance: {ex.Message}");
            return 2;
        }
        return await action(settings);
    }
}
