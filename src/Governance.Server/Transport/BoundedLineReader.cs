using System.Buffers;
using System.IO.Pipelines;
using Governance.Core.Validation;

namespace Governance.Server.Transport;

/// <summary>
/// Reads newline-delimited messages (JSON-RPC over stdio, decide's JSON lines) from raw bytes with a hard limit per
/// line applied before buffering: a longer line keeps its first <c>maxLineBytes</c>, the rest is skipped to the next
/// newline, and a scanner created per line may watch every byte (to find a request id past the limit).
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes, Func<JsonFieldScanner>? scannerFactory = null)
{
    private readonly PipeReader _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));

    /// <summary>One line without its newline (and a trailing CR), or null at the end of the stream.</summary>
    public sealed record Line(byte[] Bytes, long TotalBytes, JsonFieldScanner? Scanner)
    {
        public bool Truncated => TotalBytes > Bytes.Length;
    }

    /// <summary>The bytes after the lines read so far, as a stream (what the reader buffered is not lost).</summary>
    public Stream Remainder => _reader.AsStream(leaveOpen: true);

    private bool _ended;

    public async ValueTask<Line?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return null;
        }
        var kept = new ArrayBufferWriter<byte>(256);
        long total = 0;
        var scanner = scannerFactory?.Invoke();
        var any = false;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            var part = newline is { } end ? buffer.Slice(0, end) : buffer;
            foreach (var segment in part)
            {
                any = true;
                Take(segment.Span, kept, ref total, scanner);
            }
            if (newline is { } at)
            {
                _reader.AdvanceTo(buffer.GetPosition(1, at));
                return Finish(kept, total, scanner);
            }
            _reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                _ended = true;
                await _reader.CompleteAsync();
                return any ? Finish(kept, total, scanner) : null;
            }
        }
    }

    private void Take(ReadOnlySpan<byte> bytes, ArrayBufferWriter<byte> kept, ref long total, JsonFieldScanner? scanner)
    {
        scanner?.Feed(bytes);
        var room = (int)Math.Max(0, maxLineBytes - kept.WrittenCount);
        if (room > 0)
        {
            kept.Write(bytes.Length <= room ? bytes : bytes[..room]);
        }
        total += bytes.Length;
    }

    private static Line Finish(ArrayBufferWriter<byte> kept, long total, JsonFieldScanner? scanner)
    {
        var bytes = kept.WrittenSpan;
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r' && total == bytes.Length)
        {
            bytes = bytes[..^1];
            total--;
        }
        return new Line(bytes.ToArray(), total, scanner);
    }
}
