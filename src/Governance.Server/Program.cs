using Governance.Server.Cli;

return await GovernanceCli.Build().Parse(args).InvokeAsync();
