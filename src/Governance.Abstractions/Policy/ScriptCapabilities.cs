namespace Governance.Abstractions.Policy;

/// <summary>
/// What a C# script may do beyond judging the operation it is given (governance.scripts.allow). Everything that
/// could end, crash or stall the server is refused whatever is granted.
/// </summary>
[Flags]
public enum ScriptCapabilities
{
    None = 0,
    /// <summary><c>file_io</c>: File, Directory, FileStream and the other file system APIs.</summary>
    FileIo = 1,
    /// <summary><c>network</c>: System.Net (HttpClient, sockets, DNS).</summary>
    Network = 2,
}
