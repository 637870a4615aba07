using System.Text.Json;
using System.Text.Json.Serialization;

namespace Governance.Server.Hooks;

/// <summary>
/// <c>.ports.json</c> in the data folder: the running servers on this database, each with the socket its hook endpoint
/// listens on and the policy it serves, so a command hook can hand its call to one instead of loading the policy.
/// Updates take an exclusive lock file and replace the file atomically; entries of dead processes are dropped.
/// </summary>
internal sealed class ServerRegistry(string dataDirectory)
{
    public const string FileName = ".ports.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string FilePath { get; } = Path.Combine(dataDirectory, FileName);

    public IReadOnlyList<ServerEntry> Read()
    {
        try
        {
            return File.Exists(FilePath) ? Parse(File.ReadAllText(FilePath)) : [];
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return []; // unreadable or mid-replacement: no server to forward to, the hook decides itself
        }
    }

    // Read on every command hook call: parsed by hand, because the reflection serializer's first use costs ~50 ms of a
    // process that lives a quarter of a second.
    private static List<ServerEntry> Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        var servers = new List<ServerEntry>();
        if (!document.RootElement.TryGetProperty("servers", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return servers;
        }
        foreach (var server in list.EnumerateArray())
        {
            servers.Add(new ServerEntry
            {
                Pid = server.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var number) ? number : 0,
                Transport = Text(server, "transport") ?? "",
                Endpoint = Text(server, "endpoint") ?? "",
                Root = Text(server, "root") ?? "",
                Config = Text(server, "config"),
                Started = server.TryGetProperty("started", out var started) && started.TryGetDateTimeOffset(out var time) ? time : default,
            });
        }
        return servers;

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public void Register(ServerEntry entry) => Update(servers => [.. servers.Where(s => s.Pid != entry.Pid), entry]);

    public void Unregister(int pid) => Update(servers => servers.Where(s => s.Pid != pid).ToList());

    private void Update(Func<IReadOnlyList<ServerEntry>, List<ServerEntry>> change)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        using var gate = Lock();
        var servers = change(Read().Where(s => IsAlive(s.Pid)).ToList());
        var temporary = FilePath + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new RegistryDocument { Servers = servers }, Json));
        File.Move(temporary, FilePath, overwrite: true);
    }

    // FileShare.None takes an exclusive lock other .NET processes honour (flock on Unix); a few tries cover a busy moment.
    private FileStream Lock()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(FilePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1); // left in place: deleting it on close would let two processes lock different files
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }

    internal static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class RegistryDocument
    {
        [JsonPropertyName("servers")] public List<ServerEntry> Servers { get; init; } = [];
    }
}

/// <summary>One running server in <see cref="ServerRegistry"/>.</summary>
internal sealed record ServerEntry
{
    [JsonPropertyName("pid")] public int Pid { get; init; }
    [JsonPropertyName("transport")] public string Transport { get; init; } = "unix";
    [JsonPropertyName("endpoint")] public string Endpoint { get; init; } = "";
    [JsonPropertyName("root")] public string Root { get; init; } = "";
    [JsonPropertyName("config")] public string? Config { get; init; }
    [JsonPropertyName("started")] public DateTimeOffset Started { get; init; }

    /// <summary>Only a server with the same pack and configuration answers for this process: the same policy, the same store.</summary>
    public bool Serves(string root, string? config) =>
        string.Equals(Root, root, StringComparison.Ordinal) && string.Equals(Config ?? "", config ?? "", StringComparison.Ordinal);
}
