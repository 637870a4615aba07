using Governance.Core.Validation;
using Governance.Server.Transport;

namespace Governance.Server.Hooks;

/// <summary>
/// A hook payload as it arrived on any path (stdin, the hook socket, an HTTP body, an mcp_tool call): the bytes kept
/// under the hard size limit, how many arrived, and the top-level fields found while they streamed past.
/// </summary>
internal sealed record HookInput(ReadOnlyMemory<byte> Payload, long TotalBytes, IReadOnlyDictionary<string, string?> Fields)
{
    /// <summary>More arrived than the hard limit lets governance read: the payload is only a prefix.</summary>
    public bool Truncated => TotalBytes > Payload.Length;

    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;

    public static JsonFieldScanner NewScanner() => new(HookEvent.ScannedFields);

    public static HookInput From(BoundedInput input) => new(input.Bytes, input.TotalBytes, FieldsOf(input.Scanner));

    public static HookInput From(byte[] payload)
    {
        var scanner = NewScanner();
        scanner.Feed(payload);
        return new HookInput(payload, payload.Length, FieldsOf(scanner));
    }

    public static IReadOnlyDictionary<string, string?> FieldsOf(JsonFieldScanner? scanner) =>
        scanner is null ? new Dictionary<string, string?>() : HookEvent.ScannedFields.ToDictionary(f => f, scanner.Text, StringComparer.Ordinal);
}
