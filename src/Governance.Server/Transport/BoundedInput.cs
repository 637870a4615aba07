using Governance.Core.Validation;

namespace Governance.Server.Transport;

/// <summary>
/// A request body read with a hard size limit applied before buffering: at most <c>maxBytes</c> are kept, the rest is
/// read and discarded (up to a drain limit, so the sender gets an answer instead of a reset), and a scanner may watch
/// every byte to find top-level fields the answer needs even when the body is far too large to parse.
/// </summary>
internal sealed class BoundedInput
{
    private const int Chunk = 64 * 1024;

    private BoundedInput(byte[] buffer, int length, long totalBytes, bool complete, JsonFieldScanner? scanner)
    {
        Buffer = buffer;
        Length = length;
        TotalBytes = totalBytes;
        Complete = complete;
        Scanner = scanner;
    }

    private byte[] Buffer { get; }

    public int Length { get; }

    /// <summary>Bytes that arrived (at least; more if the drain limit stopped reading).</summary>
    public long TotalBytes { get; }

    /// <summary>False when reading stopped at the drain limit before the end of the body.</summary>
    public bool Complete { get; }

    public bool Truncated => TotalBytes > Length;

    public ReadOnlyMemory<byte> Bytes => Buffer.AsMemory(0, Length);

    public JsonFieldScanner? Scanner { get; }

    public static BoundedInput FromBytes(byte[] bytes) => new(bytes, bytes.Length, bytes.Length, complete: true, scanner: null);

    public static async Task<BoundedInput> ReadAsync(Stream stream, int maxBytes, long drainLimit, JsonFieldScanner? scanner,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxBytes, Chunk)];
        var length = 0;
        long total = 0;
        byte[]? scratch = null;
        while (true)
        {
            int read;
            if (length < maxBytes)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(maxBytes, (long)buffer.Length * 2));
                }
                read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                scanner?.Feed(buffer.AsSpan(length, read));
                length += read;
            }
            else
            {
                // Over the limit: keep nothing more, but see the rest through so the answer can name what it was.
                scratch ??= new byte[Chunk];
                read = await stream.ReadAsync(scratch, cancellationToken);
                if (read == 0)
                {
                    break;
                }
                scanner?.Feed(scratch.AsSpan(0, read));
            }
            total += read;
            if (total > drainLimit)
            {
                return new BoundedInput(buffer, length, total, complete: false, scanner);
            }
        }
        return new BoundedInput(buffer, length, total, complete: true, scanner);
    }
}
