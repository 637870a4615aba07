using System.Text;
using Governance.Core.Redaction;

namespace Governance.Server.Logging;

/// <summary>
/// Stderr for the messages commands write themselves (start-up errors, a hook's fail-open reason, which may quote an
/// exception or the input): each string written is redacted first. Single characters pass as they are.
/// </summary>
internal sealed class RedactingTextWriter(TextWriter inner, Func<SecretRedactor> redactor) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override string NewLine
    {
#pragma warning disable CS8765 // the base setter accepts null; so does the inner writer's
        get => inner.NewLine;
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(redactor().Redact(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(redactor().Redact(value));

    public override Task WriteAsync(string? value) => inner.WriteAsync(redactor().Redact(value));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(redactor().Redact(value));

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(new string(buffer, index, count));

    public override Task WriteLineAsync(char[] buffer, int index, int count) => WriteLineAsync(new string(buffer, index, count));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
