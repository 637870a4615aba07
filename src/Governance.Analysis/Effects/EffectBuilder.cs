using Governance.Abstractions.Analysis;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Effects;

/// <summary>Collects the effects of one operation, resolving paths against its scope.</summary>
internal sealed class EffectBuilder(AnalysisScope initial)
{
    private readonly List<OperationEffect> _effects = [];
    private AnalysisScope scope = initial;

    public AnalysisScope Scope => scope;

    /// <summary>git aliases defined earlier in the same command line (git config alias.x '...', git -c alias.x=...).</summary>
    public Dictionary<string, string> GitAliases { get; } = new(StringComparer.Ordinal);

    /// <summary>git remotes added earlier in the same command line (git remote add NAME URL), by name.</summary>
    public Dictionary<string, string> NewGitRemotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Secret files force-added to the index earlier in the same command line (git add -f .env).</summary>
    public List<PathTarget> StagedSecrets { get; } = [];

    /// <summary>Follows "cd DIR" within one command line, so later relative paths resolve where they will run.</summary>
    public void ChangeDirectory(string? raw)
    {
        var cwd = raw is null or "~" ? scope.Home
            : raw == "-" ? null
            : Path(raw) is { IsUnresolved: false } path ? path.Path
            : null;
        if (cwd is not null)
        {
            scope = scope with { Cwd = cwd };
        }
    }

    public IReadOnlyList<OperationEffect> Effects => _effects;

    public PathTarget Path(string raw) => PathResolver.Resolve(raw, scope);

    public List<PathTarget> Paths(IEnumerable<string> raws)
    {
        var targets = new List<PathTarget>();
        foreach (var raw in raws)
        {
            if (raw.Length > 0 && raw != "{}" && raw.Length <= 4096)
            {
                targets.Add(Path(raw));
            }
        }
        return targets;
    }

    public void Add(string kind, string command, IReadOnlyList<PathTarget>? targets = null, string detail = "", params string[] flags)
    {
        if (_effects.Count >= 512 || IsRepeat(kind, targets, detail, flags))
        {
            return;
        }
        _effects.Add(new OperationEffect
        {
            Kind = kind,
            Command = command.Length > 300 ? command[..300] + "…" : command,
            Targets = targets ?? [],
            Flags = flags,
            Detail = detail.Length > 300 ? detail[..300] + "…" : detail,
        });
        // dd of=/dev/sdb, "> /dev/sda", tee /dev/nvme0n1: writing a block device is a disk write whatever the tool.
        if (kind is EffectKinds.Write or EffectKinds.Truncate && targets is not null && targets.Any(t => t.IsDevice))
        {
            Add(EffectKinds.DiskWrite, command, [.. targets.Where(t => t.IsDevice)], detail.Length > 0 ? detail : kind);
        }
    }

    // The same effect found twice (a statement seen in the code and in the command it runs) is reported once.
    private bool IsRepeat(string kind, IReadOnlyList<PathTarget>? targets, string detail, string[] flags)
    {
        targets ??= [];
        foreach (var effect in _effects)
        {
            if (effect.Kind != kind || effect.Detail != detail || effect.Flags.Count != flags.Length || effect.Targets.Count != targets.Count)
            {
                continue;
            }
            var same = true;
            for (var i = 0; same && i < flags.Length; i++)
            {
                same = effect.Flags[i] == flags[i];
            }
            for (var i = 0; same && i < targets.Count; i++)
            {
                same = effect.Targets[i].Path == targets[i].Path;
            }
            if (same)
            {
                return true;
            }
        }
        return false;
    }

    public bool IsProtectedBranch(string branch)
    {
        foreach (var pattern in scope.Settings.ProtectedBranches)
        {
            if (pattern.EndsWith("/*", StringComparison.Ordinal)
                ? branch.StartsWith(pattern[..^1], StringComparison.Ordinal) || branch == pattern[..^2]
                : pattern.EndsWith('*') ? branch.StartsWith(pattern[..^1], StringComparison.Ordinal) : branch == pattern)
            {
                return true;
            }
        }
        return false;
    }
}
