using Governance.Server.Configuration;
using Governance.Server.Hooks;
using Governance.Server.Hosting;
using Governance.Server.Transport;
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
/// recorded beside their decision. A payload governance cannot read is answered ask (deny over the size limit).
/// Nothing here may crash into a stack trace: governance's own failures give no decision (exit 0 with a system
/// message; Claude Code's permission flow decides) or, fail-closed, a block (exit 2, the reason on stderr).
/// </summary>
internal static class HookCommand
{
    /// <summary>Claude Code kills a hook after its timeout (init writes 60 s) and then runs the tool: answer well before.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    public static async Task<int> RunAsync(Func<GovernanceSettings> loadSettings, bool failClosedOption, bool forward, Stream input, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        var failClosed = failClosedOption;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            var settings = loadSettings();
            Logging.StderrRedaction.UseKeyOf(settings);
            failClosed |= settings.Hooks.FailClosed;
            PackCheck.Verify(settings);
            // The hard size limit applies before buffering; the rest of stdin is drained so Claude Code's write completes.
            var read = await BoundedInput.ReadAsync(input, settings.Limits.MaxRequestBytes, long.MaxValue, HookInput.NewScanner(), deadline.Token);
            var hook = HookInput.From(read);
            var forwarded = forward
                ? await HookForwarder.TryForwardAsync(settings.DataDirectory, settings.Root, settings.ConfigPath, hook, error, deadline.Token)
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
        catch (ConfigurationException ex)
        {
            return await FailAsync(ex.Message, failClosed, output, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Last line of defence: the exception's message, never its stack trace, and never a crash.
            return await FailAsync($"{ex.GetType().Name}: {ex.Message}", failClosed, output, error);
        }
    }

    private static async Task<HookResult> HandleHereAsync(GovernanceSettings settings, HookInput hook, CancellationToken cancellationToken)
    {
        var fallbackSession = "hook-" + Environment.ProcessId;
        if (HookHandler.IsPost(hook))
        {
            using var database = new LiteDbDecisionStore(settings.LiteDb with { Durability = "sync" }, TimeProvider.System, NullLogger<LiteDbDecisionStore>.Instance);
            var store = new Governance.Core.Redaction.RedactingDecisionStore(database, Logging.StderrRedaction.ForSettings(settings));
            if (await HookHandler.TryPostWithoutPolicyAsync(hook, store, fallbackSession, TimeProvider.System.GetUtcNow(), cancellationToken) is { } recorded)
            {
                return recorded;
            }
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

    private static async Task<int> FailAsync(string problem, bool failClosed, TextWriter output, TextWriter error)
    {
        if (failClosed)
        {
            // Exit code 2 is the one failure after which Claude Code does not run the tool; stderr is the reason the model sees.
            await error.WriteLineAsync(HookAnswer.FailureReason(problem, failClosed: true));
            return 2;
        }
        // No decision: Claude Code's own permission flow decides, and the user sees why.
        await error.WriteLineAsync($"governance hook: {problem} (fail-open: no decision, Claude Code's permission settings decide)");
        await output.WriteLineAsync(HookAnswer.Serialize(HookAnswer.Failure(problem, failClosed: false)));
        return 0;
    }
}
