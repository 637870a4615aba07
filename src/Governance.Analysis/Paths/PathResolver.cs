using System.Text;
using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;

namespace Governance.Analysis.Paths;

/// <summary>Resolves a path as written in a command ("~/x", "$HOME/../y", "./*") against a scope and classifies it.</summary>
public static class PathResolver
{
    private static readonly string[] SystemDirectories =
    [
        "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var", "/opt", "/srv", "/sys",
        "/proc", "/dev", "/run", "/snap", "/mnt", "/media", "/home", "/Users", "/System", "/Library", "/Applications", "/private",
    ];

    // Below these, everything is operating-system territory (not just the directory itself).
    private static readonly string[] SystemTrees = ["/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/boot", "/sys", "/proc", "/System", "/private/etc"];

    private static readonly string[] TempTrees = ["/tmp", "/var/tmp", "/dev/shm", "/private/tmp"];

    private static readonly string[] NullDevices = ["/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/random", "/dev/urandom", "/dev/full"];

    private static readonly string[] BlockDevicePrefixes = ["/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme", "/dev/mmcblk", "/dev/disk", "/dev/md", "/dev/mapper/", "/dev/dm-", "/dev/loop", "/dev/rdisk"];

    private static readonly string[] ShellProfiles =
    [
        ".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile", ".zshenv", ".zlogin", ".kshrc", ".cshrc", ".tcshrc",
        ".config/fish/config.fish", ".inputrc",
    ];

    public static bool IsAbsolute(string path) => path.Length > 0 && path[0] == '/';

    /// <summary>Resolves and classifies <paramref name="raw"/>; never throws.</summary>
    public static PathTarget Resolve(string raw, AnalysisScope scope)
    {
        var expanded = Expand(raw, scope, out var unresolved, out var unknownPrefix);
        var isGlob = expanded.AsSpan().IndexOfAny('*', '?', '[') >= 0;
        var absolute = IsAbsolute(expanded) ? expanded : scope.Cwd + "/" + expanded;
        var path = Normalize(absolute);
        var globDirectory = isGlob ? GlobDirectory(path) : path;
        // "$BUILD_DIR/x" could be anywhere: no class but IsUnresolved. "/srv/$X" is at least below /srv.
        var classes = unknownPrefix ? PathClass.None : Classify(path, globDirectory, isGlob, scope);
        if (!unknownPrefix && scope.Settings.Links is { } links && !path.StartsWith(AnalysisScope.UnknownWorkspace, StringComparison.Ordinal))
        {
            // A symbolic link is judged by where it leads as well as by where it sits: the classes of both count.
            var real = links.RealPath(globDirectory);
            if (real is not null && real != globDirectory)
            {
                classes |= Classify(real, real, false, scope);
            }
        }
        return new PathTarget { Raw = raw, Path = path, Classes = classes, IsGlob = isGlob, IsUnresolved = unresolved };
    }

    /// <summary>Collapses ".", "..", repeated and trailing slashes of an absolute path.</summary>
    public static string Normalize(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static string Expand(string raw, AnalysisScope scope, out bool unresolved, out bool unknownPrefix)
    {
        unresolved = false;
        unknownPrefix = false;
        var text = raw;
        if (text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[^1] == text[0])
        {
            text = text[1..^1];
        }
        if (text == "~" || text.StartsWith("~/", StringComparison.Ordinal))
        {
            text = scope.Home + text[1..];
        }
        else if (text.StartsWith('~') && text.Length > 1 && char.IsLetter(text[1]))
        {
            var slash = text.IndexOf('/');
            text = "/home/" + (slash < 0 ? text[1..] : text[1..slash] + text[slash..]);
        }
        if (text.IndexOf('$') < 0 && text.IndexOf('`') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '`' || (c == '$' && i + 1 < text.Length && text[i + 1] == '('))
            {
                var close = c == '`' ? text.IndexOf('`', i + 1) : text.IndexOf(')', i + 2);
                var inner = close < 0 ? "" : text[(i + (c == '`' ? 1 : 2))..close].Trim();
                if (inner is "pwd" or "pwd -P")
                {
                    builder.Append(scope.Cwd);
                }
                else if (inner is "git rev-parse --show-toplevel")
                {
                    builder.Append(scope.Workspace);
                }
                else if (inner is "echo ~" or "echo $HOME")
                {
                    builder.Append(scope.Home);
                }
                else
                {
                    unresolved = true;
                    unknownPrefix |= builder.Length == 0;
                }
                i = close < 0 ? text.Length : close;
                continue;
            }
            if (c != '$' || i + 1 >= text.Length)
            {
                builder.Append(c);
                continue;
            }
            VariableReference.TryRead(text, i, out var name, out var end);
            switch (name)
            {
                case "HOME":
                    builder.Append(scope.Home);
                    break;
                case "PWD":
                    builder.Append(scope.Cwd);
                    break;
                case "TMPDIR":
                    builder.Append("/tmp");
                    break;
                case "USER" or "LOGNAME":
                    builder.Append(scope.Home.AsSpan(scope.Home.LastIndexOf('/') + 1));
                    break;
                default:
                    unresolved = true;
                    unknownPrefix |= builder.Length == 0;
                    break;
            }
            i = end - 1;
        }
        return builder.ToString();
    }

    // "/home/dev/*" expands in "/home/dev"; "/a/b*/c" in "/a".
    private static string GlobDirectory(string path)
    {
        var wildcard = path.AsSpan().IndexOfAny('*', '?', '[');
        var slash = path.LastIndexOf('/', wildcard);
        return slash <= 0 ? "/" : path[..slash];
    }

    private static PathClass Classify(string path, string globDirectory, bool isGlob, AnalysisScope scope)
    {
        var classes = PathClass.None;
        // A glob whose last segment is only wildcards ("dir/*", "dir/.*") stands for the directory's whole content.
        var wholeDirectory = isGlob && IsWholeDirectoryGlob(path);
        var subject = wholeDirectory ? globDirectory : path;

        if (subject == "/")
        {
            classes |= PathClass.Root | PathClass.OutsideWorkspace;
        }
        foreach (var device in NullDevices)
        {
            if (path == device || path.StartsWith("/dev/fd/", StringComparison.Ordinal))
            {
                return PathClass.NullDevice;
            }
        }
        foreach (var prefix in BlockDevicePrefixes)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return PathClass.Device | PathClass.System | PathClass.OutsideWorkspace;
            }
        }

        var workspace = scope.Workspace;
        if (subject == workspace)
        {
            classes |= PathClass.WorkspaceRoot;
        }
        else if (IsUnder(subject, workspace))
        {
            classes |= PathClass.InsideWorkspace;
        }
        else
        {
            classes |= PathClass.OutsideWorkspace;
            if (IsUnder(workspace, subject))
            {
                classes |= PathClass.WorkspaceParent;
            }
        }

        if (subject == scope.Home || IsHomeDirectory(subject))
        {
            classes |= PathClass.Home;
        }
        else if (IsUnder(subject, scope.Home) && (classes & PathClass.OutsideWorkspace) != 0)
        {
            classes |= PathClass.InsideHome;
        }

        foreach (var directory in SystemDirectories)
        {
            if (subject == directory)
            {
                classes |= PathClass.System;
            }
        }
        foreach (var tree in SystemTrees)
        {
            if (IsUnder(subject, tree))
            {
                classes |= PathClass.System;
            }
        }
        foreach (var tree in TempTrees)
        {
            if (subject == tree || IsUnder(subject, tree))
            {
                classes |= PathClass.Temp;
                classes &= ~PathClass.System;
            }
        }
        if (IsUnder(subject, "/var") && subject != "/var/tmp" && !IsUnder(subject, "/var/tmp"))
        {
            classes |= PathClass.System;
        }

        if (path.EndsWith("/.git", StringComparison.Ordinal) || path == "/.git")
        {
            classes |= PathClass.GitDirectory;
        }
        classes |= ConfigClasses(path, scope);
        return classes;
    }

    private static bool IsWholeDirectoryGlob(string path)
    {
        var last = path[(path.LastIndexOf('/') + 1)..];
        return last is "*" or ".*" or "**" or "*.*" or ".[!.]*" or "{*,.*}" or "?*";
    }

    private static bool IsHomeDirectory(string path) =>
        path == "/root" ||
        (path.StartsWith("/home/", StringComparison.Ordinal) && path.IndexOf('/', 6) < 0 && path.Length > 6) ||
        (path.StartsWith("/Users/", StringComparison.Ordinal) && path.IndexOf('/', 7) < 0 && path.Length > 7);

    /// <summary>True when <paramref name="path"/> is strictly below <paramref name="directory"/>.</summary>
    public static bool IsUnder(string path, string directory) =>
        directory == "/" ? path.Length > 1 :
        path.Length > directory.Length + 1 && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal);

    private static PathClass ConfigClasses(string path, AnalysisScope scope)
    {
        var classes = PathClass.None;
        var name = path[(path.LastIndexOf('/') + 1)..];
        var lower = path.ToLowerInvariant();

        if (IsSecret(lower, name.ToLowerInvariant(), scope))
        {
            classes |= PathClass.Secret;
        }
        if (lower.Contains("/.github/workflows/", StringComparison.Ordinal) || lower.EndsWith("/.github/workflows", StringComparison.Ordinal) ||
            lower.EndsWith("/.circleci", StringComparison.Ordinal) || lower.EndsWith("/.buildkite", StringComparison.Ordinal) || name is ".gitlab-ci.yml" or "azure-pipelines.yml" or "Jenkinsfile" or
            "bitbucket-pipelines.yml" or ".travis.yml" or "cloudbuild.yaml" or ".drone.yml" ||
            lower.Contains("/.circleci/", StringComparison.Ordinal) || lower.Contains("/.buildkite/", StringComparison.Ordinal) ||
            lower.Contains("/.gitlab/ci/", StringComparison.Ordinal))
        {
            classes |= PathClass.CiConfig;
        }
        if (lower.Contains("/.git/hooks/", StringComparison.Ordinal) || lower.EndsWith("/.git/hooks", StringComparison.Ordinal) ||
            lower.Contains("/.husky/", StringComparison.Ordinal) || lower.EndsWith("/.husky", StringComparison.Ordinal) || name is ".pre-commit-config.yaml" or "lefthook.yml" or "lefthook.yaml" or ".lefthook.yml" ||
            lower.EndsWith("/.git/config", StringComparison.Ordinal))
        {
            classes |= PathClass.HookConfig;
        }
        if (lower.Contains("/.claude/settings", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal) ||
            lower.Contains("/.claude/hooks/", StringComparison.Ordinal) || lower.EndsWith("/etc/claude-code/managed-settings.json", StringComparison.Ordinal))
        {
            classes |= PathClass.GuardConfig;
        }
        if (name is ".mcp.json" or ".claude.json" || lower.Contains("/.cursor/mcp.json", StringComparison.Ordinal) ||
            lower.Contains("/.claude/", StringComparison.Ordinal) && (classes & PathClass.GuardConfig) == 0)
        {
            classes |= PathClass.AgentConfig;
        }
        if (name is ".mcp.json" or ".claude.json")
        {
            // Where Claude Code finds the governance MCP server (project and user scope): removing it removes the guard.
            classes |= PathClass.GuardConfig;
        }
        classes |= GuardClasses(path, scope);
        if (scope.GovernanceRoot.Length > 0 && (path == scope.GovernanceRoot || IsUnder(path, scope.GovernanceRoot)))
        {
            var relative = path.Length > scope.GovernanceRoot.Length ? path[(scope.GovernanceRoot.Length + 1)..] : "";
            if (relative.Length == 0 || relative.StartsWith("personas", StringComparison.Ordinal) || relative.StartsWith("rules", StringComparison.Ordinal) ||
                relative.StartsWith("plugins", StringComparison.Ordinal) || relative.StartsWith("mcp_config", StringComparison.Ordinal) ||
                relative.StartsWith("data/", StringComparison.Ordinal) || relative == "data" || relative.StartsWith("governance", StringComparison.Ordinal))
            {
                classes |= PathClass.GovernancePolicy | PathClass.GuardConfig;
            }
        }
        if (path.StartsWith(scope.Home + "/", StringComparison.Ordinal))
        {
            var inHome = path[(scope.Home.Length + 1)..];
            foreach (var profile in ShellProfiles)
            {
                if (inHome == profile)
                {
                    classes |= PathClass.ShellProfile;
                }
            }
        }
        if (path is "/etc/profile" or "/etc/bash.bashrc" or "/etc/zshrc" || path.StartsWith("/etc/profile.d/", StringComparison.Ordinal))
        {
            classes |= PathClass.ShellProfile;
        }
        return classes;
    }

    // The guard's own files as configured (pack, configuration, data, executable), and — for a relative path of a request
    // that named no working directory — anything laid out like them, since it may well be them.
    private static PathClass GuardClasses(string path, AnalysisScope scope)
    {
        var classes = PathClass.None;
        foreach (var guard in scope.Settings.GuardPaths)
        {
            if (path == guard || IsUnder(path, guard))
            {
                classes |= PathClass.GovernancePolicy | PathClass.GuardConfig;
            }
            else if (IsUnder(guard, path))
            {
                classes |= PathClass.ContainsGuard;
            }
        }
        if (path.StartsWith(AnalysisScope.UnknownWorkspace + "/", StringComparison.Ordinal) && LooksLikeGuard(path[(AnalysisScope.UnknownWorkspace.Length + 1)..]))
        {
            classes |= PathClass.GovernancePolicy | PathClass.GuardConfig;
        }
        return classes;
    }

    private static bool LooksLikeGuard(string relative)
    {
        var name = relative[(relative.LastIndexOf('/') + 1)..];
        var folder = relative.Contains('/', StringComparison.Ordinal) ? relative[..relative.LastIndexOf('/')] : "";
        var parent = folder[(folder.LastIndexOf('/') + 1)..];
        var extension = Path.GetExtension(name).ToLowerInvariant();
        return name is "mcp_config.yaml" or "governance.db" or "governance-log.db" or ".ports.json" or "redaction.key" ||
               parent == "personas" && extension is ".yaml" or ".yml" or ".csx" ||
               parent == "rules" && extension is ".json" or ".yaml" or ".yml" ||
               parent == "plugins" && extension == ".csx" ||
               relative is "personas" or "rules" or "plugins" || relative.StartsWith("data/script-cache", StringComparison.Ordinal);
    }

    private static bool IsSecret(string lower, string name, AnalysisScope scope)
    {
        if (name.EndsWith(".pub", StringComparison.Ordinal) || name is "known_hosts" or "known_hosts.old")
        {
            return false;
        }
        if (name == ".env" || name == ".envrc" || name.StartsWith(".env.", StringComparison.Ordinal) && !IsEnvTemplate(name[5..]))
        {
            return true;
        }
        if (name.StartsWith("id_", StringComparison.Ordinal) && (name.Contains("rsa", StringComparison.Ordinal) || name.Contains("dsa", StringComparison.Ordinal) ||
            name.Contains("ecdsa", StringComparison.Ordinal) || name.Contains("ed25519", StringComparison.Ordinal)))
        {
            return true;
        }
        if (name is ".ssh" or ".aws" or ".gnupg" or ".password-store" || lower.EndsWith("/.config/gcloud", StringComparison.Ordinal))
        {
            return true;
        }
        if (lower.Contains("/.ssh/", StringComparison.Ordinal) && name is not ("config" or "authorized_keys" or "environment"))
        {
            return true;
        }
        if (lower.EndsWith("/.aws/credentials", StringComparison.Ordinal) || lower.EndsWith("/.aws/config", StringComparison.Ordinal) ||
            lower.Contains("/.config/gcloud/", StringComparison.Ordinal) || lower.EndsWith("/.kube/config", StringComparison.Ordinal) ||
            lower.Contains("/.azure/", StringComparison.Ordinal) || lower.EndsWith("/.docker/config.json", StringComparison.Ordinal) ||
            lower.Contains("/.gnupg/", StringComparison.Ordinal) || lower.Contains("/.password-store/", StringComparison.Ordinal) ||
            lower.EndsWith("/.config/gh/hosts.yml", StringComparison.Ordinal) || lower.EndsWith("/.terraform.d/credentials.tfrc.json", StringComparison.Ordinal) ||
            lower.EndsWith("/.cargo/credentials", StringComparison.Ordinal) || lower.EndsWith("/.cargo/credentials.toml", StringComparison.Ordinal) ||
            lower.EndsWith("/.gem/credentials", StringComparison.Ordinal))
        {
            return true;
        }
        if (name is ".netrc" or "_netrc" or ".pgpass" or ".my.cnf" or ".git-credentials" or ".vault-token" or ".npmrc" or ".pypirc" or
            "shadow" or "gshadow" or "master.key" or "credentials.json" or "application_default_credentials.json" or "secrets.json" or
            "secrets.yaml" or "secrets.yml" or "terraform.tfstate" or "terraform.tfstate.backup" || lower == "/etc/sudoers" || lower.EndsWith("/environ", StringComparison.Ordinal) && lower.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return name is not (".npmrc" or ".pypirc") || lower.StartsWith(scope.Home.ToLowerInvariant() + "/", StringComparison.Ordinal);
        }
        if (name.EndsWith(".pem", StringComparison.Ordinal) || name.EndsWith(".key", StringComparison.Ordinal) || name.EndsWith(".p12", StringComparison.Ordinal) ||
            name.EndsWith(".pfx", StringComparison.Ordinal) || name.EndsWith(".jks", StringComparison.Ordinal) || name.EndsWith(".keystore", StringComparison.Ordinal) ||
            name.EndsWith(".ppk", StringComparison.Ordinal) || name.EndsWith(".kdbx", StringComparison.Ordinal) || name.EndsWith(".tfstate", StringComparison.Ordinal))
        {
            return !(name.Contains("cert", StringComparison.Ordinal) || name.Contains("public", StringComparison.Ordinal) ||
                     name.StartsWith("ca", StringComparison.Ordinal) || name.Contains("chain", StringComparison.Ordinal) || name.Contains("fullchain", StringComparison.Ordinal));
        }
        return false;
    }

    private static bool IsEnvTemplate(string suffix) =>
        suffix is "example" or "sample" or "template" or "dist" or "default" or "defaults" or "schema" or "tpl" or "example.local" ||
        suffix.EndsWith(".example", StringComparison.Ordinal) || suffix.EndsWith(".sample", StringComparison.Ordinal) || suffix.EndsWith(".template", StringComparison.Ordinal);
}
