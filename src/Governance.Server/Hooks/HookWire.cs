using System.Net.Sockets;
using System.Text;

namespace Governance.Server.Hooks;

/// <summary>
/// The hook socket's framing: the client writes the hook payload and shuts down its sending side; the server answers
/// with one JSON object (<see cref="HookResult"/>) and closes. Both sides bound what they read.
/// </summary>
internal static class HookWire
{
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    public static async Task<string> ReadToEndAsync(Socket socket, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, SocketFlags.None, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new HookInputException($"the hook payload is larger than {maxBytes / (1024 * 1024)} MB; governance does not review calls that large");
            }
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static async Task WriteAsync(Socket socket, string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken);
        }
    }
}
