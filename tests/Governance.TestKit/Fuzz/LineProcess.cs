using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Governance.TestKit.Fuzz;

/// <summary>
/// A real process spoken to in raw bytes, one line per message: what a transport test needs to send invalid UTF-8, a
/// byte order mark or a 100 MB line, and to read every line the process writes on stdout.
/// </summary>
public sealed class LineProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private readonly Task _errors;

    private LineProcess(Process process)
    {
        _process = process;
        _stdin = process.StandardInput.BaseStream;
        _reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await _lines.Writer.WriteAsync(line);
            }
            _lines.Writer.Complete();
        });
        _errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < 4 * 1024 * 1024)
                    {
                        _stderr.AppendLine(line);
                    }
                }
            }
        });
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public ChannelReader<string> Lines => _lines.Reader;

    public static LineProcess Start(string executable, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return new LineProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}"));
    }

    public async Task WriteLineAsync(ReadOnlyMemory<byte> line)
    {
        await _stdin.WriteAsync(line);
        await _stdin.WriteAsync("\n"u8.ToArray());
        await _stdin.FlushAsync();
    }

    /// <summary>The next line on stdout, or null when stdout ended or nothing came within <paramref name="within"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _lines.Reader.ReadAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Resident memory now, from /proc (Linux).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    /// <summary>Closes stdin and waits for the exit; returns the exit code.</summary>
    public async Task<int> CloseAsync(TimeSpan within)
    {
        _stdin.Close();
        await _process.WaitForExitAsync().WaitAsync(within);
        await Task.WhenAll(_reader, _errors).WaitAsync(within);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _stdin.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception ex) when (ex is TimeoutException or IOException or ObjectDisposedException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
