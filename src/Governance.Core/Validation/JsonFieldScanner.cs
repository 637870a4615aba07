using System.Text;
using System.Text.Json;

namespace Governance.Core.Validation;

/// <summary>
/// Finds chosen scalar fields of a JSON object — by dotted path of object keys, such as "id" or "params.name" — while
/// its bytes stream past, without buffering the document: the id of a JSON-RPC request too large to read, the event
/// and tool of a hook payload over the size limit. A byte-level state machine (strings, escapes, a stack of keys), so a
/// 100 MB body costs one pass and no memory. It does not validate: what it finds labels an answer, never allows one.
/// </summary>
public sealed class JsonFieldScanner
{
    private const int MaxKeyBytes = 64;
    private const int MaxDepth = 8;

    private readonly HashSet<string> _wanted;
    private readonly int _maxValueBytes;
    private readonly int _wantedDepth;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly string?[] _keys = new string?[MaxDepth + 1]; // the key whose value is being read, per depth
    private readonly bool[] _isObject = new bool[MaxDepth + 1];
    private readonly bool[] _expectKey = new bool[MaxDepth + 1];
    private readonly byte[] _key = new byte[MaxKeyBytes];
    private readonly List<byte> _value = [];
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _readingKey;
    private int _keyLength;
    private bool _keyOverflow;
    private string? _capturing;
    private bool _scalar;

    public JsonFieldScanner(IEnumerable<string> wantedPaths, int maxValueBytes = 1024)
    {
        _wanted = new HashSet<string>(wantedPaths, StringComparer.Ordinal);
        _maxValueBytes = maxValueBytes;
        _wantedDepth = Math.Min(MaxDepth, _wanted.Count == 0 ? 0 : _wanted.Max(p => p.Count(c => c == '.') + 1));
    }

    /// <summary>Bytes seen so far.</summary>
    public long Length { get; private set; }

    /// <summary>Raw JSON text of each wanted field found (the last one when a key repeats).</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        Length += chunk.Length;
        var i = 0;
        while (i < chunk.Length)
        {
            // Most bytes are inside long strings nobody asked for: skip to the next quote or backslash.
            if (_inString && !_readingKey && _capturing is null && !_escape)
            {
                var next = chunk[i..].IndexOfAny((byte)'"', (byte)'\\');
                if (next < 0)
                {
                    return;
                }
                i += next;
            }
            Step(chunk[i]);
            i++;
        }
    }

    /// <summary>The field as text when it was a JSON string or number; null when absent or unreadable.</summary>
    public string? Text(string path)
    {
        if (!_values.TryGetValue(path, out var raw))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind switch
            {
                JsonValueKind.String => document.RootElement.GetString(),
                JsonValueKind.Number => document.RootElement.GetRawText(),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The raw JSON text of the field (a string with its quotes, a number), or null.</summary>
    public string? Raw(string path) => _values.GetValueOrDefault(path);

    private void Step(byte b)
    {
        if (_inString)
        {
            InString(b);
            return;
        }
        if (_scalar)
        {
            if (b is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                EndValue();
            }
            else
            {
                Keep(b);
                return;
            }
        }
        var inObject = _depth is > 0 and <= MaxDepth && _isObject[_depth];
        switch (b)
        {
            case (byte)'"':
                _inString = true;
                if (inObject && _expectKey[_depth])
                {
                    _readingKey = true;
                    _keyLength = 0;
                    _keyOverflow = false;
                }
                else if (WantedPath() is { } path)
                {
                    _capturing = path;
                    _value.Clear();
                    _value.Add(b);
                }
                break;
            case (byte)'{' or (byte)'[':
                _depth++;
                if (_depth <= MaxDepth)
                {
                    _isObject[_depth] = b == (byte)'{';
                    _expectKey[_depth] = b == (byte)'{';
                    _keys[_depth] = null;
                }
                break;
            case (byte)'}' or (byte)']':
                _depth = Math.Max(0, _depth - 1);
                break;
            case (byte)':' when inObject:
                _expectKey[_depth] = false;
                break;
            case (byte)',' when inObject:
                _expectKey[_depth] = true;
                _keys[_depth] = null;
                break;
            case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',':
                break;
            default:
                if (WantedPath() is { } scalarPath)
                {
                    _capturing = scalarPath;
                    _scalar = true;
                    _value.Clear();
                    _value.Add(b);
                }
                break;
        }
    }

    private void InString(byte b)
    {
        var closes = !_escape && b == (byte)'"';
        _escape = !_escape && b == (byte)'\\';
        if (_readingKey)
        {
            if (closes)
            {
                _readingKey = false;
                _inString = false;
                if (_depth <= MaxDepth)
                {
                    _keys[_depth] = _keyOverflow ? null : Encoding.UTF8.GetString(_key, 0, _keyLength);
                }
            }
            else if (_keyLength < MaxKeyBytes)
            {
                _key[_keyLength++] = b;
            }
            else
            {
                _keyOverflow = true;
            }
            return;
        }
        if (_capturing is not null)
        {
            Keep(b);
        }
        if (closes)
        {
            _inString = false;
            if (_capturing is not null)
            {
                EndValue();
            }
        }
    }

    // The dotted path of the value about to start, when someone asked for it: every level must be an object key.
    private string? WantedPath()
    {
        if (_depth < 1 || _depth > _wantedDepth || !_isObject[_depth] || _expectKey[_depth] || _keys[_depth] is null)
        {
            return null;
        }
        var path = new StringBuilder();
        for (var level = 1; level <= _depth; level++)
        {
            if (!_isObject[level] || _keys[level] is not { } key)
            {
                return null;
            }
            if (level > 1)
            {
                path.Append('.');
            }
            path.Append(key);
        }
        var text = path.ToString();
        return _wanted.Contains(text) ? text : null;
    }

    private void Keep(byte b)
    {
        if (_value.Count <= _maxValueBytes)
        {
            _value.Add(b);
        }
    }

    private void EndValue()
    {
        if (_capturing is not null && _value.Count <= _maxValueBytes)
        {
            _values[_capturing] = Encoding.UTF8.GetString(_value.ToArray());
        }
        _capturing = null;
        _scalar = false;
        _value.Clear();
    }
}
