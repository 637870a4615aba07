namespace Governance.Analysis.Effects;

/// <summary>
/// <c>docker run</c> / <c>podman run</c>: the command run inside the container, with the paths of bind mounts mapped back
/// to the host paths they expose (<c>-v /:/host … rm -rf /host/home/dev</c> deletes <c>/home/dev</c>), and whether the
/// container reaches past its walls (<c>--privileged</c>, <c>--pid=host</c>, the host's root or home mounted).
/// </summary>
internal static class ContainerRun
{
    /// <summary>The wrapper name a command run in a container with host access carries; system effects count it as a privilege.</summary>
    public const string HostAccessWrapper = "container-with-host-access";
    /// <summary>A container that hands its command the host itself: chroot into a mount of /, or nsenter into pid 1 with the host's pids.</summary>
    public const string HostRootWrapper = "container-root-on-host";

    private static readonly HashSet<string> OptionsWithValue = new(StringComparer.Ordinal)
    {
        "-e", "--env", "--env-file", "-v", "--volume", "--mount", "-p", "--publish", "--name", "-w", "--workdir", "-u", "--user",
        "--entrypoint", "--network", "--net", "-l", "--label", "-h", "--hostname", "--platform", "--pid", "--ipc", "--uts", "--userns",
        "--cap-add", "--cap-drop", "--device", "--restart", "-m", "--memory", "--cpus", "--add-host", "--dns", "--security-opt", "--tmpfs",
        "--ulimit", "--log-driver", "--log-opt", "--gpus", "--volumes-from", "-a", "--attach", "--cidfile", "--shm-size", "--stop-signal",
        "--pull", "--expose", "--health-cmd", "--label-file", "--cgroupns", "--runtime", "--group-add", "--mac-address", "--ip",
    };

    /// <summary>The command inside and whether the container has host access; null when this is not a run with a command.</summary>
    /// <summary>The command run inside a container, with paths mapped back to the host; the wrapper says how much of the host it reaches.</summary>
    public static (List<string> Argv, string Wrapper)? Inner(string name, IReadOnlyList<string> args)
    {
        if (name is not ("docker" or "podman" or "nerdctl") || args.Count == 0)
        {
            return null;
        }
        var i = args[0] is "run" or "create" ? 1 : args.Count > 1 && args[0] == "container" && args[1] is "run" or "create" ? 2 : -1;
        if (i < 0)
        {
            return null;
        }
        var mounts = new List<(string Host, string Inside)>();
        var hostAccess = false;
        var hostPids = false;
        string? entrypoint = null;
        for (; i < args.Count && args[i].StartsWith('-'); i++)
        {
            var (option, value) = Split(args, ref i);
            switch (option)
            {
                case "--privileged":
                    hostAccess = true;
                    break;
                case "--pid" or "--ipc" or "--uts" or "--userns" or "--network" or "--net" when value == "host":
                    hostAccess |= option is "--pid" or "--userns";
                    hostPids |= option == "--pid";
                    break;
                case "-v" or "--volume" when value is not null:
                    var parts = value.Split(':');
                    if (parts.Length >= 2 && parts[0].Length > 0 && parts[0][0] is '/' or '~' or '$' or '.')
                    {
                        mounts.Add((parts[0], parts[1]));
                    }
                    break;
                case "--mount" when value is not null:
                    var fields = value.Split(',').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
                    if ((fields.TryGetValue("source", out var source) || fields.TryGetValue("src", out source)) &&
                        (fields.TryGetValue("target", out var target) || fields.TryGetValue("dst", out target) || fields.TryGetValue("destination", out target)))
                    {
                        mounts.Add((source, target));
                    }
                    break;
                case "--entrypoint" when value is not null:
                    entrypoint = value;
                    break;
            }
        }
        foreach (var (host, _) in mounts)
        {
            var trimmed = host.TrimEnd('/');
            hostAccess |= IsHostSensitive(host.TrimEnd('/'));
        }
        if (i >= args.Count)
        {
            return null;
        }
        var inner = new List<string>();
        if (entrypoint is not null)
        {
            inner.Add(entrypoint);
        }
        inner.AddRange(args.Skip(i + 1));
        if (inner.Count == 0)
        {
            return hostAccess ? ([args[i]], HostAccessWrapper) : null;
        }
        // Longest mount point first, so /host/home maps before /host.
        mounts.Sort((a, b) => b.Inside.Length.CompareTo(a.Inside.Length));
        // chroot into the mount of the host's / runs the rest on the host itself, with host paths as written.
        if (inner is ["chroot", var root, ..] && MapBack(root, mounts) == "/")
        {
            return (inner.Count > 2 ? inner[2..] : ["sh"], HostRootWrapper);
        }
        for (var k = 0; k < inner.Count; k++)
        {
            inner[k] = MapBack(inner[k], mounts);
        }
        return (inner, hostPids && IntoInit(inner) ? HostRootWrapper : hostAccess ? HostAccessWrapper : name);
    }

    // nsenter -t 1 (or --target=1) with the host's pids enters the host's init: its namespaces are the host.
    private static bool IntoInit(List<string> inner)
    {
        if (inner is not ["nsenter", ..])
        {
            return false;
        }
        for (var k = 1; k < inner.Count; k++)
        {
            if (inner[k] is "-t1" or "--target=1" || inner[k] is "-t" or "--target" && k + 1 < inner.Count && inner[k + 1] == "1")
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The host's root, a whole home directory or a dot-folder in one (~/.ssh, ~/.aws), system configuration, devices, the
    /// docker socket. A project folder mounted into a build container (-v ~/project:/app) is not host access.
    /// </summary>
    private static bool IsHostSensitive(string path)
    {
        if (path is "" or "/etc" or "/dev" or "/proc" or "/sys" or "/boot" or "/root" or "/home" or "/var/run/docker.sock" or "/run/docker.sock" or "~" or "$HOME" or "${HOME}")
        {
            return true;
        }
        if (path.StartsWith("/etc/", StringComparison.Ordinal) || path.StartsWith("/root/", StringComparison.Ordinal) || path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return true;
        }
        var inHome = path.StartsWith("~/", StringComparison.Ordinal) ? path[2..]
            : path.StartsWith("$HOME/", StringComparison.Ordinal) ? path[6..]
            : path.StartsWith("${HOME}/", StringComparison.Ordinal) ? path[8..]
            : path.StartsWith("/home/", StringComparison.Ordinal) && path.IndexOf('/', 6) is var slash ? slash < 0 ? "" : path[(slash + 1)..]
            : null;
        return inHome is not null && (inHome.Length == 0 || inHome.StartsWith('.'));
    }

    private static (string Option, string? Value) Split(IReadOnlyList<string> args, ref int i)
    {
        var a = args[i];
        var equals = a.IndexOf('=', StringComparison.Ordinal);
        if (a.StartsWith("--", StringComparison.Ordinal) && equals > 0)
        {
            return (a[..equals], a[(equals + 1)..]);
        }
        if (OptionsWithValue.Contains(a))
        {
            return (a, i + 1 < args.Count ? args[++i] : null);
        }
        // "-v/src:/dst", "-it" and other bundles: a bundle ending in a valued letter takes the next word.
        if (a.Length > 2 && a[1] != '-' && OptionsWithValue.Contains(a[..2]))
        {
            return (a[..2], a[2..]);
        }
        return (a, null);
    }

    private static string MapBack(string text, List<(string Host, string Inside)> mounts)
    {
        foreach (var (host, inside) in mounts)
        {
            var mountPoint = inside.TrimEnd('/');
            if (mountPoint.Length == 0)
            {
                continue;
            }
            var hostRoot = host.TrimEnd('/');
            if (text == mountPoint || text == mountPoint + "/")
            {
                return hostRoot.Length == 0 ? "/" : hostRoot + (text.EndsWith('/') ? "/" : "");
            }
            // Inside a word or a script string (sh -c 'rm -rf /host/home'): every path under the mount point.
            text = text.Replace(mountPoint + "/", hostRoot + "/", StringComparison.Ordinal);
        }
        return text;
    }
}
