using Governance.TestKit;
using Governance.TestKit.Fuzz;

// The hostile-input fuzz at scale: the seeded generator and oracle of the test suite
// (tests/Governance.Server.Tests/Integration/HostileInputFuzzTests.cs), streamed through the published executable.
//
//   dotnet publish src/Governance.Server -c Release -r linux-x64 -o OUT
//   dotnet run -c Release --project bench/Governance.FuzzBench -- OUT/governance 1000000
//
// Arguments: the executable, the number of inputs per transport (default 1,000,000), the seed (default the suite's).
// Transports: decide (one process, a line per input) and stdio MCP (one serve process, a JSON-RPC message per input).
// The pack is the shipped one in a temporary folder, with the suite's small limits so the size cases stay cheap.
// Exit 0 when no input got a malformed answer, went unanswered or was allowed although unreadable.
if (args.Length == 0 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: Governance.FuzzBench <path to the published governance executable> [inputs per transport] [seed]");
    return 2;
}
var executable = Path.GetFullPath(args[0]);
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var seed = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Fakers.DefaultSeed;
const int MaxRequestBytes = 64 * 1024;

using var pack = new TempDirectory("governance-fuzzbench").WithShippedPack();
var config = pack.Combine("mcp_config.yaml");
File.WriteAllText(config, File.ReadAllText(config)
    .Replace("max_context_bytes: 1048576", "max_context_bytes: 16384", StringComparison.Ordinal)
    .Replace("max_request_bytes: 4194304", $"max_request_bytes: {MaxRequestBytes}", StringComparison.Ordinal));
string[] arguments = ["--root", pack.Path, "--config", config];

Console.WriteLine($"fuzz: {count:N0} hostile inputs per transport, seed {seed}, max_request_bytes {MaxRequestBytes:N0}, {Environment.ProcessorCount} cores");
var decideInputs = new HostileInputs(seed, MaxRequestBytes);
var decide = await FuzzRun.DecideAsync(executable, arguments, decideInputs.DecideLine, count);
Console.WriteLine(decide);
var mcpInputs = new HostileInputs(seed + 1, MaxRequestBytes);
var mcp = await FuzzRun.StdioMcpAsync(executable, arguments, mcpInputs.JsonRpc, count);
Console.WriteLine(mcp);
var problems = decide.ProblemCount + mcp.ProblemCount;
Console.WriteLine($"{decide.Inputs + mcp.Inputs:N0} inputs, {problems} problem(s)");
return problems == 0 ? 0 : 1;
