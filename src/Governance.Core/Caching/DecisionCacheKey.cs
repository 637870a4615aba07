using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Governance.Core.Caching;

/// <summary>
/// The cache key: SHA-256 of the policy revision, the operation name, the persona filter and the context in
/// canonical form (object keys sorted, volatile per-call keys such as session and tool-use ids left out), so
/// the same question under the same policy hits, and a policy reload never serves an old answer.
/// </summary>
public static class DecisionCacheKey
{
    private static readonly HashSet<string> VolatileKeys = new(StringComparer.Ordinal)
    {
        "session_id", "tool_use_id", "transcript_path", "correlation_id", "request_id", "timestamp", "hook_event_name",
    };

    public static string Compute(string revision, string operation, string? onlyPersona, JsonElement context)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(revision);
            writer.WriteStringValue(operation);
            writer.WriteStringValue(onlyPersona ?? "");
            WriteCanonical(writer, context, topLevel: true);
            writer.WriteEndArray();
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexString(hash);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if (!(topLevel && VolatileKeys.Contains(property.Name)))
                    {
                        properties.Add(property);
                    }
                }
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, topLevel: false);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, topLevel: false);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
