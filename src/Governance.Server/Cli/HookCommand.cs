using System.Text;
using System.Text.Json;
using Governance.Core;
using Governance.Server.Configuration;
using Governance.Server.Hooks;
using Governance.Server.Hosting;
using Governance.Storage.LiteDb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Server.Cli;

/// <summary>
/// <c>governance hook</c>: the Claude Code command hook. PreToolUse: the payload on stdin goes through the same
/// pipeline and policy as the server, the answer (hookSpecificOutput) goes to stdout. PostToolUse and
/// PostToolUseFailure: what the call did is recorded beside its decision. Nothing here may crash into a stack trace:
/// every failure becomes the fail-open warning (exit 0) or, fail-closed, a block (exit 2, the reason on stderr,
/// which Claude Code shows the model).
/// </summary>
internal static class HookCommand
{
    /// <summary>Claude Code kills a hook after its timeout (60 s by default) and then runs the tool: answer well before.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    // Claude Code payloads carry the tool input (a Write's whole content): bounded, far above the context limit.
    private const int MaxPayloadChars = 16 * 1024 * 1024;

    public static async Task<int> RunAsync(Func<GovernanceSettings> loadSettings, bool failClosedOption, TextReader input, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var failClosed = failClosedOption;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            var settings = loadSettings();
            failClosed |= settings.Hooks.FailClosed;
            var hook = HookEvent.Parse(await ReadPayloadAsync(input, deadline.Token));
            if (hook.IsPost)
            {
                await RecordOutcomeAsync(settings, hook, deadline.Token);
                return 0;
            }
            var decision = await DecideAsync(settings, hook, deadline.Token);
            if (decision.Error is { } rejected && failClosed)
            {
                return await BlockAsync(error, rejected.Error);
            }
            await output.WriteLineAsync(HookAnswer.Serialize(HookAnswer.From(decision, failClosed)));
            return 0;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return await FailAsync($"no answer within {Deadline.TotalSeconds:0} s", failClosed, output, error);
        }
        catch (Exception ex) when (ex is HookInputException or ConfigurationException)
        {
            return await FailAsync(ex.Message, failClosed, output, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Last line of defence: the exception's message, never its stack trace, and never a crash.
            return await FailAsync($"{ex.GetType().Name}: {ex.Message}", failClosed, output, error);
        }
    }

    private static async Task<Abstractions.Decisions.Decision> DecideAsync(GovernanceSettings settings, HookEvent hook, CancellationToken cancellationToken)
    {
        var builder = GovernanceHost.CreateBuilder(settings, "hook");
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var engine = host.Services.GetRequiredService<GovernanceEngine>();
            var session = host.Services.GetRequiredService<ConnectionSession>();
            var context = JsonSerializer.SerializeToElement(hook.Payload);
            var decision = await engine.DecideAsync(new GovernanceRequest(hook.ToolName, context, session.Id), cancellationToken);
            var scripts = host.Services.GetRequiredService<Governance.Scripting.RoslynScriptLoader>();
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Hook").LogInformation(
                "Scripts: {FromCache} loaded from the image cache, {Compiled} compiled", scripts.LoadedFromCache, scripts.CompiledFromSource);
            return decision;
        }
        finally
        {
            // Stopping flushes the store: the decision is on disk before the process exits.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task RecordOutcomeAsync(GovernanceSettings settings, HookEvent hook, CancellationToken cancellationToken)
    {
        var outcome = hook.Outcome("hook-" + Environment.ProcessId, TimeProvider.System.GetUtcNow());
        if (outcome.ToolUseId.Length == 0)
        {
            throw new HookInputException($"the {hook.EventName} payload has no tool_use_id, so its outcome cannot be matched to a decision");
        }
        using var store = new LiteDbDecisionStore(settings.LiteDb with { Durability = "sync" }, TimeProvider.System, NullLogger<LiteDbDecisionStore>.Instance);
        await store.AppendOutcomeAsync(outcome, cancellationToken);
    }

    private static async Task<string> ReadPayloadAsync(TextReader input, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > MaxPayloadChars)
            {
                throw new HookInputException($"the hook payload is larger than {MaxPayloadChars / (1024 * 1024)} MB; governance does not review calls that large");
            }
            text.Append(buffer, 0, read);
        }
        if (text.Length == 0)
        {
            throw new HookInputException("stdin was empty; `governance hook` reads the Claude Code hook payload (JSON) on stdin");
        }
        return text.ToString();
    }

    private static async Task<int> FailAsync(string problem, bool failClosed, TextWriter output, TextWriter error)
    {
        if (failClosed)
        {
            return await BlockAsync(error, problem);
        }
        await error.WriteLineAsync($"governance hook: {problem} (fail-open: the call is allowed with a warning)");
        await output.WriteLineAsync(HookAnswer.Serialize(HookAnswer.Failure(problem, failClosed: false)));
        return 0;
    }

    /// <summary>Exit code 2 is the one failure Claude Code does not run the tool after; stderr becomes the reason the model sees.</summary>
    private static async Task<int> BlockAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync(HookAnswer.FailureReason(problem, failClosed: true));
        return 2;
    }
}
