using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Pipeline;
using Governance.Core.Metrics;
using Microsoft.Extensions.Logging;

namespace Governance.Core.Pipeline;

/// <summary>
/// Consults every relevant persona in parallel, each under its own timeout and isolated from the others: a
/// persona that throws or runs late is recorded as failed or timed out and the decision still comes back.
/// </summary>
public sealed class PersonaFanOutStep(GovernanceMetrics metrics, TimeProvider time, ILogger<PersonaFanOutStep> logger) : IDecisionStep
{
    public string Name => "persona-fan-out";

    public async ValueTask<Decision> InvokeAsync(DecisionContext context, DecisionDelegate next)
    {
        var operation = context.Operation!;
        var panel = Select(context, operation);
        if (panel.Count > 0)
        {
            var consultations = new Task<PersonaOutcome>[panel.Count];
            for (var i = 0; i < panel.Count; i++)
            {
                consultations[i] = ConsultAsync(panel[i], operation, context);
            }
            context.PersonaOutcomes.AddRange(await Task.WhenAll(consultations));
        }
        return await next(context);
    }

    private List<IPersona> Select(DecisionContext context, Operation operation)
    {
        var panel = new List<IPersona>(context.Policy.Personas.Count);
        foreach (var persona in context.Policy.Personas)
        {
            if (context.OnlyPersonaId is { } only)
            {
                if (persona.Descriptor.Id == only)
                {
                    panel.Add(persona);
                }
                continue;
            }
            try
            {
                if (persona.IsRelevant(operation))
                {
                    panel.Add(persona);
                }
            }
            catch (Exception ex)
            {
                // A persona whose triggers throw is consulted anyway: better a voice that fails visibly than a silent one.
                logger.LogWarning(ex, "Persona {PersonaId} trigger check failed for {CorrelationId}", persona.Descriptor.Id, context.CorrelationId);
                panel.Add(persona);
            }
        }
        return panel;
    }

    private async Task<PersonaOutcome> ConsultAsync(IPersona persona, Operation operation, DecisionContext context)
    {
        var descriptor = persona.Descriptor;
        var started = time.GetTimestamp();
        if (!descriptor.Timed)
        {
            try
            {
                // Task.Run: personas are consulted in parallel. No deadline: a built-in or YAML persona finishes in time
                // linear in its (capped) input, and timing it would make the verdict depend on the machine's load.
                var verdict = await Task.Run(() => persona.EvaluateAsync(operation, context.CancellationToken).AsTask(), context.CancellationToken);
                return new PersonaOutcome(descriptor, PersonaStatus.Ok, verdict, null, Elapsed(started));
            }
            catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
            {
                return Failed(descriptor, ex, context, started);
            }
        }
        var timeout = descriptor.Timeout ?? context.Policy.Thresholds.PersonaTimeout;
        // The token is the script's deadline: the budget checks compiled into it throw once it is cancelled, so a
        // runaway loop stops with the timeout instead of spinning on. Both run on the same clock.
        using var expiry = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, expiry.Token);
        try
        {
            // Task.Run: a script that blocks its thread must not hold up the others.
            var verdict = await Task.Run(() => persona.EvaluateAsync(operation, deadline.Token).AsTask(), deadline.Token)
                .WaitAsync(timeout, time, context.CancellationToken);
            return new PersonaOutcome(descriptor, PersonaStatus.Ok, verdict, null, Elapsed(started));
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !context.CancellationToken.IsCancellationRequested))
        {
            // The wait may end a moment before the token's own timer fires, and disposing the source would stop that
            // timer: cancel it now, so a script still running sees its deadline and stops.
            await deadline.CancelAsync();
            metrics.PersonaTimedOut();
            logger.LogWarning("Persona {PersonaId} timed out after {TimeoutMs} ms for {CorrelationId}",
                descriptor.Id, timeout.TotalMilliseconds, context.CorrelationId);
            return new PersonaOutcome(descriptor, PersonaStatus.TimedOut, null,
                $"timed out after {timeout.TotalMilliseconds:0} ms", Elapsed(started));
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            return Failed(descriptor, ex, context, started);
        }
    }

    private PersonaOutcome Failed(PersonaDescriptor descriptor, Exception ex, DecisionContext context, long started)
    {
        metrics.PersonaFailed();
        logger.LogWarning(ex, "Persona {PersonaId} failed for {CorrelationId}", descriptor.Id, context.CorrelationId);
        return new PersonaOutcome(descriptor, PersonaStatus.Failed, null, $"{ex.GetType().Name}: {ex.Message}", Elapsed(started));
    }

    private double Elapsed(long started) => time.GetElapsedTime(started).TotalMilliseconds;
}
