using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Server.Transport;

namespace Governance.Server.Hooks;

/// <summary>
/// The hook socket's framing. The client writes one header line — <c>{"bytes": N, "fields": {...}}</c>: how many bytes
/// the hook received and the top-level fields it saw (the payload may be a prefix when it broke the size limit) —
/// then the payload, and shuts down its sending side; the server answers with one JSON object (<see cref="HookResult"/>)
/// and closes. Both sides bound what they read.
/// </summary>
internal static class HookWire
{
    private const int MaxHeaderBytes = 64 * 1024;

    public static async Task SendAsync(Socket socket, HookInput input, CancellationToken cancellationToken)
    {
        var fields = new JsonObject();
        foreach (var (name, value) in input.Fields)
        {
            fields[name] = value;
        }
        var header = new JsonObject { ["bytes"] = input.TotalBytes, ["fields"] = fields }.ToJsonString() + "\n";
        await WriteAsync(socket, Encoding.UTF8.GetBytes(header), cancellationToken);
        await WriteAsync(socket, input.Payload, cancellationToken);
    }

    /// <summary>The server side: the header, then at most <paramref name="maxPayloadBytes"/> of payload (the rest is drained).</summary>
    public static async Task<HookInput> ReceiveAsync(Stream stream, int maxPayloadBytes, CancellationToken cancellationToken)
    {
        var reader = new BoundedLineReader(stream, MaxHeaderBytes);
        var header = await reader.ReadLineAsync(cancellationToken);
        long declared = 0;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (header is { Truncated: false } && header.Bytes.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(header.Bytes);
                if (document.RootElement.TryGetProperty("bytes", out var bytes) && bytes.TryGetInt64(out var count))
                {
                    declared = count;
                }
                if (document.RootElement.TryGetProperty("fields", out var named) && named.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in named.EnumerateObject())
                    {
                        fields[field.Name] = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // A damaged header: the payload is judged on its own bytes.
            }
        }
        var rest = await BoundedInput.ReadAsync(reader.Remainder, maxPayloadBytes, maxPayloadBytes, HookInput.NewScanner(), cancellationToken);
        var received = HookInput.From(rest);
        // What the payload itself shows wins; the header fills in what lay beyond a truncated prefix.
        var merged = new Dictionary<string, string?>(received.Fields, StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (merged.GetValueOrDefault(name) is null)
            {
                merged[name] = value;
            }
        }
        return received with { TotalBytes = Math.Max(received.TotalBytes, declared), Fields = merged };
    }

    public static async Task<string> ReadToEndAsync(Socket socket, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new IOException($"the server's answer is larger than {maxBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static async Task WriteAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes[sent..], SocketFlags.None, cancellationToken);
        }
    }
}
