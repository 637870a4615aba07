using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;
using static Governance.Analysis.Commands.CommandArguments;

namespace Governance.Analysis.Effects;

/// <summary>Privilege, permissions, security controls, cron, services, accounts, disks, processes and power.</summary>
internal static class SystemEffects
{
    private static readonly HashSet<string> PrivilegeWrappers = new(StringComparer.Ordinal) { "sudo", "doas", "pkexec", "su", "run0", "gosu", "su-exec", ContainerRun.HostAccessWrapper, ContainerRun.HostRootWrapper };

    private static readonly HashSet<string> SecurityUnits = new(StringComparer.Ordinal)
    {
        "firewalld", "ufw", "apparmor", "auditd", "nftables", "iptables", "ip6tables", "fail2ban", "selinux", "clamav-daemon", "crowdstrike", "falcon-sensor", "osqueryd",
    };

    private static readonly HashSet<string> DiskTools = new(StringComparer.Ordinal)
    {
        "mkfs", "mke2fs", "mkswap", "wipefs", "sfdisk", "sgdisk", "gdisk", "blkdiscard", "cryptsetup", "hdparm", "badblocks", "fdisk", "parted", "cfdisk", "zpool", "diskutil", "format",
    };

    private static readonly HashSet<string> AccountTools = new(StringComparer.Ordinal)
    {
        "useradd", "userdel", "usermod", "passwd", "chpasswd", "visudo", "groupadd", "groupdel", "groupmod", "adduser", "deluser", "gpasswd", "chsh", "vipw",
    };

    public static void Collect(ExecutedCommand command, string text, EffectBuilder effects)
    {
        var name = command.Name;
        var args = command.Arguments;
        // "sudo -n true" and "sudo -l" only ask whether sudo would work: nothing runs as root.
        var probe = name is "true" or ":" || name == "sudo" && args.Count > 0 && args.All(a => a is "-l" or "-ll" or "-v" or "-k" or "-K" or "-V" or "-h" or "-n" or "--list" or "--validate");
        foreach (var wrapper in command.Wrappers)
        {
            if (PrivilegeWrappers.Contains(wrapper) && !probe)
            {
                effects.Add(EffectKinds.Privilege, text, null, wrapper);
                break;
            }
        }
        if (PrivilegeWrappers.Contains(name) && !probe)
        {
            effects.Add(EffectKinds.Privilege, text, null, name);
        }
        if (name.StartsWith("mkfs", StringComparison.Ordinal) || DiskTools.Contains(name))
        {
            Disk(name, args, text, effects);
        }
        else if (AccountTools.Contains(name))
        {
            effects.Add(EffectKinds.AccountChange, text, null, name);
        }
        switch (name)
        {
            case "chmod":
                Chmod(args, text, effects);
                break;
            case "chown" or "chgrp":
                var operands = Operands(args, ["--reference", "--from"]);
                var targets = effects.Paths(operands.Skip(HasLong(args, "--reference") ? 0 : 1));
                effects.Add(EffectKinds.PermissionChange, text, targets, name,
                    FileEffects.Flags("owner", HasShort(args, 'R') || HasLong(args, "--recursive") ? "recursive" : null));
                break;
            case "ufw" when args.Count > 0 && args[^1] is "disable" or "reset":
            case "iptables" or "ip6tables" when HasShort(args, 'F') || HasLong(args, "--flush") || (Has(args, "-P") && Has(args, "ACCEPT")) || HasShort(args, 'X'):
            case "nft" when Has(args, "flush"):
            case "setenforce" when args.Count > 0 && args[0] is "0" or "Permissive" or "permissive":
            case "spctl" when HasLong(args, "--master-disable") || HasLong(args, "--global-disable"):
            case "csrutil" when Has(args, "disable"):
            case "aa-teardown":
                effects.Add(EffectKinds.SecurityDisable, text, null, name);
                break;
            case "systemctl" or "service" or "launchctl" or "rc-service":
                Services(name, args, text, effects);
                break;
            case "crontab":
                if (HasShort(args, 'r'))
                {
                    effects.Add(EffectKinds.CronChange, text, null, "remove", "remove");
                }
                else if (!(args.Count == 1 && args[0] == "-l") && !(args.Count == 0 && command.StdinFrom is null && command.InlineCode is null))
                {
                    effects.Add(EffectKinds.CronChange, text, null, "install");
                }
                break;
            case "shutdown" when !HasShort(args, 'c'):
            case "reboot" or "halt" or "poweroff":
            case "init" or "telinit" when args.Count > 0 && args[0] is "0" or "6" or "1" or "S":
                effects.Add(EffectKinds.Power, text, null, name);
                break;
            case "kill" or "killall" or "killall5" or "pkill" or "skill":
                Kill(name, args, text, effects);
                break;
        }
    }

    private static void Chmod(IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        var operands = Operands(args, ["--reference"]);
        if (operands.Count == 0)
        {
            return;
        }
        var mode = HasLong(args, "--reference") ? "" : operands[0];
        var targets = effects.Paths(operands.Skip(mode.Length > 0 ? 1 : 0));
        var worldWritable = mode.Length is >= 3 and <= 4 && mode.All(char.IsAsciiDigit) && mode[^1] is '2' or '3' or '6' or '7' ||
                            mode.Contains("o+w", StringComparison.Ordinal) || mode.Contains("a+w", StringComparison.Ordinal) ||
                            mode.Contains("a+rw", StringComparison.Ordinal) || mode.Contains("o+rw", StringComparison.Ordinal) ||
                            mode.Contains("ugo+", StringComparison.Ordinal) && mode.Contains('w') || mode is "+w" or "+rwx" or "a=rwx" or "o=rwx" or "777";
        var executable = mode.Contains("+x", StringComparison.Ordinal);
        effects.Add(EffectKinds.PermissionChange, text, targets, mode,
            FileEffects.Flags(HasShort(args, 'R') || HasLong(args, "--recursive") ? "recursive" : null, worldWritable ? "world-writable" : null, executable ? "executable" : null));
    }

    private static void Services(string name, IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        var operands = Operands(args);
        if (operands.Count == 0)
        {
            return;
        }
        var verb = name == "service" && operands.Count > 1 ? operands[1] : operands[0];
        var unit = name == "service" ? operands[0] : operands.Count > 1 ? operands[1] : "";
        unit = unit.EndsWith(".service", StringComparison.Ordinal) ? unit[..^8] : unit;
        if (verb is "reboot" or "poweroff" or "halt" or "kexec" or "suspend" or "hibernate" or "rescue" or "emergency" or "soft-reboot")
        {
            effects.Add(EffectKinds.Power, text, null, verb);
            return;
        }
        if (verb is not ("stop" or "disable" or "mask" or "restart" or "kill" or "isolate" or "unload" or "remove" or "bootout" or "reload" or "try-restart" or "force-reload"))
        {
            return;
        }
        effects.Add(SecurityUnits.Contains(unit) && verb is "stop" or "disable" or "mask" or "kill" or "unload" or "remove" or "bootout"
            ? EffectKinds.SecurityDisable : EffectKinds.ServiceControl, text, null, verb + " " + unit);
    }

    private static void Disk(string name, IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        if (name is "fdisk" or "parted" or "sfdisk" or "diskutil" && (HasShort(args, 'l') || Has(args, "print") || Has(args, "list") || HasLong(args, "--list")) ||
            name == "cryptsetup" && !(Has(args, "luksFormat") || Has(args, "erase") || Has(args, "luksErase")) ||
            name == "hdparm" && !args.Any(a => a.StartsWith("--security-erase", StringComparison.Ordinal) || a == "--trim-sector-ranges") ||
            name == "badblocks" && !HasShort(args, 'w') ||
            name == "zpool" && !(Has(args, "destroy") || Has(args, "labelclear")) ||
            name == "diskutil" && !args.Any(a => a.StartsWith("erase", StringComparison.OrdinalIgnoreCase) || a is "zeroDisk" or "secureErase" or "partitionDisk"))
        {
            return;
        }
        var targets = effects.Paths(Operands(args, ["-t", "-L", "-b", "-c", "-N", "-O", "-o", "-E", "-I", "-U", "-n"]));
        if (targets.Any(t => t.IsDevice) || name is "zpool" or "diskutil" ||
            targets.Any(t => t.IsUnresolved) && (name.StartsWith("mkfs", StringComparison.Ordinal) || name is "wipefs" or "blkdiscard" or "sgdisk" or "sfdisk"))
        {
            effects.Add(EffectKinds.DiskWrite, text, targets, name);
        }
        else if (targets.Count > 0)
        {
            effects.Add(EffectKinds.Write, text, targets, name);
        }
    }

    private static void Kill(string name, IReadOnlyList<string> args, string text, EffectBuilder effects)
    {
        var force = args.Any(a => a is "-9" or "-KILL" or "-SIGKILL" or "-s9") || Value(args, "-s", "--signal") is "9" or "KILL" or "SIGKILL";
        var all = name == "killall5";
        if (name == "kill")
        {
            var operands = new List<string>();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg is "-s" or "-n" or "--signal")
                {
                    i++;
                }
                else if (i == 0 && arg.StartsWith('-') && args.Count > 1 && arg != "--")
                {
                    // The first dash argument before a pid is the signal: "kill -9 -1" sends 9 to every process.
                }
                else if (arg != "--")
                {
                    operands.Add(arg);
                }
            }
            // "kill -9 $(ps -u dev -o pid=)" kills every process of the user.
            // "kill -1" alone is a signal number with no pid (an error), not "every process"; pid 1 is init, the whole machine.
            all = operands.Contains("-1") && !(args.Count == 1 && args[0] == "-1") || operands.Contains("0") && operands.Count == 1 || operands.Contains("1") ||
                  operands.Any(o => o.StartsWith("$(ps", StringComparison.Ordinal) || o.StartsWith("`ps", StringComparison.Ordinal) || o.StartsWith("$(pgrep -u", StringComparison.Ordinal));
        }
        else if (name is "pkill" or "killall" or "skill")
        {
            var patterns = Operands(args, ["-u", "-U", "-g", "-G", "-s", "-P", "-t", "--signal", "--user", "-o", "-y"]);
            all = Value(args, "-u", "--user") is not null && patterns.Count == 0 || patterns.Any(p => p is "." or ".*" or "" or "^" or "-1");
        }
        effects.Add(EffectKinds.KillProcesses, text, null, name,
            FileEffects.Flags(all ? "all" : null, force ? "force" : null, name is "pkill" or "killall" && !all ? "by-name" : null));
    }
}
