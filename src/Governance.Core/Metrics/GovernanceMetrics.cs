using System.Collections.Concurrent;
using Governance.Abstractions.Storage;

namespace Governance.Core.Metrics;

/// <summary>
/// In-process counters: the seed's metrics (requests, cache hits/misses, errors, average response time),
/// globally and per session, plus persona faults.
/// </summary>
public sealed class GovernanceMetrics
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, SessionMetrics> _sessions = new(StringComparer.Ordinal);
    private SessionMetrics _global = new();
    private long _personaFailures;
    private long _personaTimeouts;
    private long _ruleFailures;
    private long _persistFailures;
    private long _pluginFailures;

    public SessionMetrics Global
    {
        get
        {
            lock (_gate)
            {
                return _global;
            }
        }
    }

    public long PersonaFailures => Interlocked.Read(ref _personaFailures);
    public long PersonaTimeouts => Interlocked.Read(ref _personaTimeouts);
    public long RuleFailures => Interlocked.Read(ref _ruleFailures);
    public long PersistFailures => Interlocked.Read(ref _persistFailures);
    public long PluginFailures => Interlocked.Read(ref _pluginFailures);

    public void Record(DecisionRecord record)
    {
        lock (_gate)
        {
            _global = _global.Add(record);
        }
        _sessions.AddOrUpdate(record.SessionId, static (_, r) => new SessionMetrics().Add(r), static (_, m, r) => m.Add(r), record);
    }

    public SessionMetrics? ForSession(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var metrics) ? metrics : null;

    public void PersonaFailed() => Interlocked.Increment(ref _personaFailures);
    public void PersonaTimedOut() => Interlocked.Increment(ref _personaTimeouts);
    public void RuleEvaluationFailed() => Interlocked.Increment(ref _ruleFailures);
    public void PersistFailed() => Interlocked.Increment(ref _persistFailures);
    public void PluginFailed() => Interlocked.Increment(ref _pluginFailures);
}
