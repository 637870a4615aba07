using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;

namespace Governance.TestKit;

/// <summary>
/// A persona whose answer, fault or delay a test chooses. <paramref name="timed"/>: it runs under a deadline, as a
/// script persona does; otherwise it is untimed, as built-in and YAML personas are.
/// </summary>
public sealed class TestPersona(string id, Func<Operation, CancellationToken, ValueTask<PersonaVerdict>> answer, double weight = 1.0,
    TimeSpan? timeout = null, bool timed = false) : IPersona
{
    public PersonaDescriptor Descriptor { get; } = new() { Id = id, Name = id, Weight = weight, Timed = timed, Timeout = timeout, Source = "test" };

    public Func<Operation, bool> Relevant { get; init; } = _ => true;

    public int Calls => _calls;
    private int _calls;

    public bool IsRelevant(Operation operation) => Relevant(operation);

    public ValueTask<PersonaVerdict> EvaluateAsync(Operation operation, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return answer(operation, cancellationToken);
    }

    public static TestPersona Says(string id, Verdict verdict, double confidence, double weight = 1.0, string guidance = "") =>
        new(id, (_, _) => ValueTask.FromResult(new PersonaVerdict
        {
            Verdict = verdict,
            Confidence = confidence,
            Guidance = guidance.Length > 0 ? guidance : $"{id} says {verdict}",
            Recommendations = verdict == Verdict.Allow ? [] : [$"{id}: do the safer thing"],
        }), weight);

    public static TestPersona Throws(string id) =>
        new(id, (_, _) => throw new InvalidOperationException($"{id} is broken"));

    /// <summary>A timed persona that never answers unless cancelled — and ignores cancellation if <paramref name="ignoreCancellation"/>.</summary>
    public static TestPersona Hangs(string id, TimeSpan? timeout = null, bool ignoreCancellation = false) =>
        new(id, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ignoreCancellation ? CancellationToken.None : token);
            throw new InvalidOperationException("unreachable");
        }, timeout: timeout, timed: true);
}
