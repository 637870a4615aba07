using System.Text.Json;
using Governance.Abstractions.Decisions;
using Governance.Abstractions.Personas;
using Governance.Abstractions.Policy;
using Governance.Abstractions.Rules;

namespace Governance.Abstractions.Pipeline;

/// <summary>Everything about one request while it moves through the pipeline. Owned by that request only.</summary>
public sealed class DecisionContext
{
    public required string CorrelationId { get; init; }
    public required string DecisionId { get; init; }
    /// <summary>The operation name exactly as received (may be invalid).</summary>
    public required string RawOperation { get; init; }
    /// <summary>The context exactly as received (may be missing or not an object).</summary>
    public JsonElement RawContext { get; init; }
    /// <summary>The session of the connection or process, used when the context names none.</summary>
    public required string ConnectionSessionId { get; init; }
    /// <summary>Set by consult_persona: only this persona is consulted.</summary>
    public string? OnlyPersonaId { get; init; }
    /// <summary>Set when the surface could not read the request at all; validation rejects it with this message.</summary>
    public string? InputError { get; init; }
    /// <summary>The request was larger than the hard size limit and was not read to its end: it is denied unread.</summary>
    public bool InputOverHardLimit { get; init; }
    /// <summary>What the surface received when it could not parse it (a bounded prefix), so the audit record shows it.</summary>
    public string? RawText { get; init; }
    /// <summary>
    /// Why the request is only partly readable (oversized, invalid Unicode, control characters in a command, ...). A
    /// flawed request is still analysed as far as it can be read, but it is never allowed.
    /// </summary>
    public List<string> InputFlaws { get; } = [];
    /// <summary>The snapshot this request runs on from start to end, taken once.</summary>
    public required PolicySnapshot Policy { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required long StartTimestamp { get; init; }
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Set by validation.</summary>
    public Operation? Operation { get; set; }
    public string SessionId { get; set; } = "";
    public string? CacheKey { get; set; }

    /// <summary>Set by the aggregation step: the panel's and the rules' answers combined into one verdict.</summary>
    public AggregatedVerdict? Aggregation { get; set; }

    /// <summary>Set by the warnings step, the last one: the decision the pipeline returns.</summary>
    public Decision? Decision { get; set; }

    public List<PersonaOutcome> PersonaOutcomes { get; } = [];
    public List<RuleOutcome> RuleOutcomes { get; } = [];
    public List<GovernanceWarning> Warnings { get; } = [];
    public List<string> Recommendations { get; } = [];
}
