namespace Governance.Server.Transport;

/// <summary>
/// stdout shared by the MCP SDK and the message guard: every writer's bytes are held until a newline and then written
/// as one whole line under a lock, so a guard answer can never land inside an SDK message.
/// </summary>
internal sealed class LineSerializedStream(Stream inner) : Stream
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Only the SDK writes through WriteAsync, one message at a time under its own send lock: one buffer is enough.
    private readonly MemoryStream _pending = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Writes one complete line (a newline is added) atomically.</summary>
    public async Task WriteLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await inner.WriteAsync(line, cancellationToken);
            await inner.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The SDK writes a message and then its newline; collect until the newline.
        var pending = _pending;
        var span = buffer;
        while (!span.IsEmpty)
        {
            var newline = span.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                pending.Write(span.Span);
                return;
            }
            pending.Write(span.Span[..newline]);
            var line = pending.ToArray();
            pending.SetLength(0);
            await WriteLineAsync(line, cancellationToken);
            span = span[(newline + 1)..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }
        base.Dispose(disposing);
    }
}
