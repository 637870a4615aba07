using Governance.Server.Configuration;
using Governance.Server.Hosting;
using Governance.Server.Mcp;
using Governance.Server.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Protocol;

namespace Governance.Server.Cli;

/// <summary><c>governance serve</c>: the MCP server over stdio.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(GovernanceSettings settings, string transport, CancellationToken cancellationToken)
    {
        if (string.Equals(transport, "http", StringComparison.OrdinalIgnoreCase))
        {
            return await HttpService.RunAsync(settings, cancellationToken);
        }
        if (!string.Equals(transport, "stdio", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"governance: --transport '{transport}' must be stdio (the default) or http.");
            return 2;
        }
        var builder = GovernanceHost.CreateBuilder(settings, "stdio");
        builder.Services.AddPolicyWatcher();
        builder.Services.AddHostedService<UnusablePolicyStop>();
        builder.Services.AddHostedService<HookEndpoint>();
        // stdin passes the message guard before the SDK reads it; stdout is shared line by line.
        var channels = new StdioGuard.Channels(Console.OpenStandardInput(), Console.OpenStandardOutput());
        builder.Services.AddSingleton(channels);
        builder.Services.AddSingleton<McpMessageGuard>();
        builder.Services.AddHostedService<StdioGuard>();
        AddMcp(builder.Services, settings).WithStreamServerTransport(channels.ToSdk.Reader.AsStream(), channels.Stdout);
        using var host = builder.Build();
        GovernanceHost.LogConfiguration(host.Services, settings);
        await host.RunAsync(cancellationToken);
        return Environment.ExitCode;
    }

    /// <summary>The MCP server, its tools and resources: the same over stdio and HTTP.</summary>
    public static IMcpServerBuilder AddMcp(IServiceCollection services, GovernanceSettings settings) => services
        .AddMcpServer(options =>
        {
            options.ServerInfo = new Implementation
            {
                Name = settings.ServerName,
                Version = typeof(ServeCommand).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
            };
            options.ServerInstructions =
                "Governance for coding agents. Before running a command, editing or writing a file, fetching a URL or calling a tool, " +
                "call consult_governance with the operation (e.g. Bash, Edit, Write) and its context (command, file_path, content, url, cwd). " +
                "Act only on verdict allow; ask the user on ask; on deny follow the recommendations instead.";
        })
        .WithTools<GovernanceTools>()
        .WithResources<GovernanceResources>()
        .WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentErrorFilter.Wrap));
}
