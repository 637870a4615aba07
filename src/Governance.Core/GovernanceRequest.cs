using System.Text.Json;

namespace Governance.Core;

/// <summary>One question to the governance engine, as it arrived from a surface (MCP, CLI, hook).</summary>
/// <param name="Operation">The operation name as sent.</param>
/// <param name="Context">The context as sent; anything but an object is rejected by validation.</param>
/// <param name="ConnectionSessionId">The connection's or process's session, used when the context names none.</param>
/// <param name="OnlyPersonaId">Consult just this persona (consult_persona).</param>
/// <param name="InputError">The surface could not even read the request (e.g. a malformed JSON line); it is rejected with this message and still recorded.</param>
/// <param name="OverHardLimit">The request was larger than the hard size limit and was not read to its end; it is denied.</param>
/// <param name="RawText">A bounded prefix of what arrived, for the audit record of a request that could not be parsed.</param>
public sealed record GovernanceRequest(string Operation, JsonElement Context, string ConnectionSessionId, string? OnlyPersonaId = null, string? InputError = null,
    bool OverHardLimit = false, string? RawText = null);
