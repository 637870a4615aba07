using System.Text;
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
/// <c>governance hook</c>: the Claude Code command hook. The payload on stdin is handed to a running server on the
/// same pack and database when there is one (found in .ports.json), else decided in this process through the same
/// pipeline and policy. PreToolUse prints the answer (hookSpecificOutput); PostToolUse and PostToolUseFailure are
/// recorded beside their decision. Nothing here may crash into a stack trace: every failure becomes the fail-open
/// warning (exit 0) or, fail-closed, a block (exit 2, the reason on stderr, which Claude Code shows the model).
/// </summary>
internal static class HookCommand
{
    /// <summary>Claude Code kills a hook after its timeout (init writes 60 s) and then runs the tool: answer well before.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    public static async Task<int> RunAsync(Func<GovernanceSettings> loadSettings, bool failClosedOption, bool forward, TextReader input, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        var failClosed = failClosedOption;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            var settings = loadSettings();
            failClosed |= settings.Hooks.FailClosed;
            var payload = await ReadPayloadAsync(input, deadline.Token);
            var hook = HookEvent.Parse(payload);
            var forwarded = forward
                ? await HookForwarder.TryForwardAsync(settings.DataDirectory, settings.Root, settings.ConfigPath, payload, error, deadline.Token)
                : null;
            var result = forwarded?.Result ?? await HandleHereAsync(settings, hook, deadline.Token);
            if (result.Problem is { } problem)
            {
                return await FailAsync(problem, failClosed, output, error);
            }
            if (result.Answer is { } answer)
            {
                await output.WriteLineAsync(HookAnswer.Serialize(answer));
            }
            if (forwarded is { Pid: var pid })
            {
                await error.WriteLineAsync($"governance hook: answered by the running server (pid {pid})");
            }
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

    private static async Task<HookResult> HandleHereAsync(GovernanceSettings settings, HookEvent hook, CancellationToken cancellationToken)
    {
        var fallbackSession = "hook-" + Environment.ProcessId;
        if (hook.IsPost)
        {
            using var store = new LiteDbDecisionStore(settings.LiteDb with { Durability = "sync" }, TimeProvider.System, NullLogger<LiteDbDecisionStore>.Instance);
            return await HookHandler.RecordOutcomeAsync(hook, store, fallbackSession, TimeProvider.System.GetUtcNow(), cancellationToken);
        }
        var builder = GovernanceHost.CreateBuilder(settings, "hook");
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var session = host.Services.GetRequiredService<ConnectionSession>();
            var result = await host.Services.GetRequiredService<HookHandler>().HandleAsync(hook, session.Id, cancellationToken);
            var scripts = host.Services.GetRequiredService<Governance.Scripting.RoslynScriptLoader>();
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Governance.Hook").LogInformation(
                "Scripts: {FromCache} loaded from the image cache, {Compiled} compiled", scripts.LoadedFromCache, scripts.CompiledFromSource);
            return result;
        }
        finally
        {
            // Stopping flushes the store: the decision is on disk before the process exits.
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<string> ReadPayloadAsync(TextReader input, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (text.Length + read > HookWire.MaxPayloadBytes)
            {
                throw new HookInputException($"the hook payload is larger than {HookWire.MaxPayloadBytes / (1024 * 1024)} MB; governance does not review calls that large");
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
            // Exit code 2 is the one failure after which Claude Code does not run the tool; stderr is the reason the model sees.
            await error.WriteLineAsync(HookAnswer.FailureReason(problem, failClosed: true));
            return 2;
        }
        await error.WriteLineAsync($"governance hook: {problem} (fail-open: the call is allowed with a warning)");
        await output.WriteLineAsync(HookAnswer.Serialize(HookAnswer.Failure(problem, failClosed: false)));
        return 0;
    }
}
