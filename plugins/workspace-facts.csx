// Context enricher: derives facts personas and rules can rely on instead of re-parsing paths and commands.
//   path-class         workspace | outside-workspace | home | system | temp | unknown   (for the file_path)
//   path-in-workspace  true | false                                                     (when cwd is known)
//   push-target        the branch a `git push` names, if any
//   push-target-protected  true | false  (main, master, trunk, develop, production, release/*)

static readonly string[] ProtectedBranches = ["main", "master", "trunk", "develop", "production"];

static string Resolve(string path, string cwd, string home)
{
    if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)) path = home + path[1..];
    path = path.Replace("${HOME}", home, StringComparison.Ordinal).Replace("$HOME", home, StringComparison.Ordinal);
    if (!path.StartsWith('/') && cwd.Length > 0) path = cwd.TrimEnd('/') + "/" + path;
    var parts = new List<string>();
    foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
    {
        if (part == ".") continue;
        if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
        parts.Add(part);
    }
    return "/" + string.Join('/', parts);
}

static bool Under(string path, string folder) =>
    folder.Length > 1 && (path == folder.TrimEnd('/') || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal));

return new PluginScript
{
    Id = "workspace-facts",
    Name = "Workspace facts",
    Description = "Classifies the target path against the workspace (cwd) and names the branch a git push targets.",
    Enrich = (op, ct) =>
    {
        var facts = new Dictionary<string, string>();
        var cwd = op.Cwd.Length > 0 ? Resolve(op.Cwd, "", "/home/user") : "";
        var home = cwd.StartsWith("/home/", StringComparison.Ordinal) ? "/" + string.Join('/', cwd.Split('/', StringSplitOptions.RemoveEmptyEntries).Take(2))
                 : cwd.StartsWith("/root", StringComparison.Ordinal) ? "/root" : "/home/user";
        if (op.FilePath.Length > 0)
        {
            var path = Resolve(op.FilePath, cwd, home);
            var inWorkspace = cwd.Length > 0 && Under(path, cwd);
            facts["path-class"] =
                inWorkspace ? "workspace" :
                Under(path, "/tmp") || Under(path, "/var/tmp") ? "temp" :
                Regex.IsMatch(path, @"^/(etc|usr|bin|sbin|lib|lib64|boot|opt|var|sys|proc|dev)(/|$)", RegexOptions.NonBacktracking) ? "system" :
                Under(path, home) || Under(path, "/root") ? "home" :
                cwd.Length > 0 ? "outside-workspace" : "unknown";
            if (cwd.Length > 0) facts["path-in-workspace"] = inWorkspace ? "true" : "false";
            facts["resolved-path"] = path;
        }
        var push = Regex.Match(op.Command, @"\bgit\s+(?:-[Cc]\s+\S+\s+)*push\b([^;&|]*)", RegexOptions.NonBacktracking);
        if (push.Success)
        {
            var words = push.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith('-')).ToArray();
            if (words.Length >= 2)
            {
                var target = words[^1].TrimStart('+');
                target = target.Contains(':') ? target[(target.IndexOf(':') + 1)..] : target;
                target = target.StartsWith("refs/heads/", StringComparison.Ordinal) ? target["refs/heads/".Length..] : target;
                facts["push-target"] = target;
                facts["push-target-protected"] = ProtectedBranches.Contains(target) || target.StartsWith("release/", StringComparison.Ordinal) ? "true" : "false";
            }
        }
        return facts;
    },
};
