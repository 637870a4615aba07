using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;
using static Governance.Analysis.Commands.CommandArguments;

namespace Governance.Analysis.Effects;

/// <summary>What a git command does to history, the worktree and the remote: force pushes and their targets, discards, hook skipping.</summary>
internal static class GitEffects
{
    private static readonly HashSet<string> HookSkippingVariables = new(StringComparer.Ordinal) { "HUSKY", "HUSKY_SKIP_HOOKS", "SKIP", "PRE_COMMIT_ALLOW_NO_CONFIG", "LEFTHOOK", "SKIP_HOOKS" };

    private static readonly HashSet<string> CommitLike = new(StringComparer.Ordinal) { "commit", "push", "merge", "am", "rebase", "cherry-pick", "revert", "pull" };

    public static void Collect(ExecutedCommand command, string text, EffectBuilder effects)
    {
        if (command.Name is "export" or "set")
        {
            foreach (var arg in command.Arguments)
            {
                HookVariable(arg, text, effects);
            }
            return;
        }
        if (command.Name != "git")
        {
            return;
        }
        var args = command.Arguments;
        var i = 0;
        var aliases = effects.GitAliases;
        // Global options come before the subcommand: -C dir, -c key=value, --git-dir=..., --no-pager.
        while (i < args.Count && args[i].StartsWith('-'))
        {
            var option = args[i];
            if (option is "-c" && i + 1 < args.Count)
            {
                Config(args[i + 1], text, effects);
                if (args[i + 1].StartsWith("alias.", StringComparison.Ordinal) && args[i + 1].IndexOf('=') is var eq and > 6)
                {
                    aliases[args[i + 1][6..eq]] = args[i + 1][(eq + 1)..];
                }
                i += 2;
                continue;
            }
            i += option is "-C" or "--git-dir" or "--work-tree" or "--namespace" or "--exec-path" or "--config-env" ? 2 : 1;
        }
        if (i >= args.Count)
        {
            return;
        }
        // git RESET --HARD: on a case-insensitive file system git finds the subcommand anyway; read it as it would run there.
        var subcommand = args[i].ToLowerInvariant();
        var rest = args.Skip(i + 1).Select(a => a.StartsWith("--", StringComparison.Ordinal) ? a.ToLowerInvariant() : a).ToList();
        // git -c alias.yolo='push --force' yolo origin main runs "push --force origin main".
        if (aliases.TryGetValue(subcommand, out var expansion) && !expansion.StartsWith('!'))
        {
            var words = expansion.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            subcommand = words[0];
            rest = [.. words.Skip(1), .. rest];
        }
        foreach (var (key, value) in command.Assignments)
        {
            HookVariable(key + "=" + value, text, effects);
        }
        if (CommitLike.Contains(subcommand) && (HasLong(rest, "--no-verify") || subcommand == "commit" && HasShort(rest, 'n')))
        {
            effects.Add(EffectKinds.SkipHooks, text, null, "--no-verify");
        }
        switch (subcommand)
        {
            case "remote" when rest is ["add", .. var added] && Operands(added, ["-t", "-m", "--mirror"]) is [var remote, var url, ..]:
                effects.NewGitRemotes[remote] = url;
                break;
            case "add":
                foreach (var staged in Operands(rest))
                {
                    if (effects.Path(staged) is { } target && target.Is(PathClass.Secret))
                    {
                        effects.StagedSecrets.Add(target);
                    }
                }
                break;
            case "push" when !HasShort(rest, 'n') && !HasLong(rest, "--dry-run"):
                // A dry run reports what a push would do and changes nothing.
                Push(rest, text, effects);
                break;
            case "reset" when HasLong(rest, "--hard") || HasLong(rest, "--merge"):
                effects.Add(EffectKinds.GitDiscard, text, null, "reset-hard");
                break;
            case "checkout" when HasShort(rest, 'f') || HasLong(rest, "--force") || (WholeTree(rest) && !HasShort(rest, 'b') && !HasShort(rest, 'B')):
                effects.Add(EffectKinds.GitDiscard, text, null, "checkout");
                break;
            case "restore" when WholeTree(rest) && (!HasShort(rest, 'S') && !HasLong(rest, "--staged") || HasShort(rest, 'W') || HasLong(rest, "--worktree")):
                effects.Add(EffectKinds.GitDiscard, text, null, "restore");
                break;
            case "switch" when HasShort(rest, 'f') || HasLong(rest, "--force") || HasLong(rest, "--discard-changes"):
                effects.Add(EffectKinds.GitDiscard, text, null, "switch-force");
                break;
            case "clean" when (HasShort(rest, 'f') || HasLong(rest, "--force")) && !HasShort(rest, 'n') && !HasLong(rest, "--dry-run"):
                effects.Add(EffectKinds.GitDiscard, text, null, "clean", FileEffects.Flags(HasShort(rest, 'x') ? "ignored-files" : null, HasShort(rest, 'd') ? "directories" : null));
                break;
            case "stash" when rest.Count > 0 && rest[0] is "clear" or "drop":
                effects.Add(EffectKinds.GitDiscard, text, null, "stash-" + rest[0]);
                break;
            case "branch":
                Branch(rest, text, effects);
                break;
            case "filter-branch" or "filter-repo":
                effects.Add(EffectKinds.GitHistoryRewrite, text, null, subcommand);
                break;
            case "reflog" when rest.Count > 0 && rest[0] is "expire" or "delete":
            case "update-ref" when HasShort(rest, 'd'):
            case "gc" when rest.Any(a => a.StartsWith("--prune=now", StringComparison.Ordinal)):
                effects.Add(EffectKinds.GitHistoryRewrite, text, null, subcommand);
                break;
            case "config" when Operands(rest) is [var key, var value] && key.StartsWith("alias.", StringComparison.Ordinal):
                // git config alias.ship 'push --force origin main' && git ship
                aliases[key[6..]] = value;
                break;
            case "config" when Operands(rest).Count >= 2 || HasLong(rest, "--unset") || HasLong(rest, "--unset-all"):
                Config(string.Join('=', Operands(rest)), text, effects, HasLong(rest, "--unset") || HasLong(rest, "--unset-all"));
                break;
        }
    }

    private static bool WholeTree(List<string> args)
    {
        foreach (var operand in Operands(args, ["-s", "--source", "-b", "-B", "--orphan"]))
        {
            if (operand is "." or "./" or "*" or ":/" or ":/*" or "-A" || operand.StartsWith(":(top)", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static void Push(List<string> args, string text, EffectBuilder effects)
    {
        var hardForce = HasShort(args, 'f') || HasLong(args, "--force");
        var lease = HasLong(args, "--force-with-lease") || HasLong(args, "--force-if-includes");
        var mirror = HasLong(args, "--mirror");
        var delete = HasShort(args, 'd') || HasLong(args, "--delete");
        var tags = HasLong(args, "--tags") || HasLong(args, "--follow-tags");
        var all = HasLong(args, "--all") || mirror;
        var operands = Operands(args, ["-o", "--push-option", "--repo", "--receive-pack", "--exec"]);
        var branches = new List<string>();
        var isProtected = all;
        var hasBranch = all;
        for (var k = 1; k < operands.Count; k++)
        {
            var spec = operands[k];
            if (spec == "tag")
            {
                // git push origin tag v1.2.0
                tags = true;
                k++;
                continue;
            }
            if (spec.StartsWith('+'))
            {
                hardForce = true;
                spec = spec[1..];
            }
            var colon = spec.IndexOf(':');
            if (colon == 0)
            {
                delete = true;
            }
            var destination = colon >= 0 ? spec[(colon + 1)..] : spec;
            destination = destination.StartsWith("refs/heads/", StringComparison.Ordinal) ? destination[11..] : destination;
            if (destination.StartsWith("refs/tags/", StringComparison.Ordinal) || LooksLikeVersionTag(destination) || destination.StartsWith("v$", StringComparison.Ordinal))
            {
                tags = true;
                continue;
            }
            if (destination is "HEAD" or "@" || destination.Length == 0)
            {
                continue;
            }
            hasBranch = true;
            branches.Add(destination);
            isProtected |= effects.IsProtectedBranch(destination);
        }
        // A remote added on this very line is a new destination: the whole repository (--all, --mirror) or a secret
        // staged for it leaves for a host nobody has vetted.
        if (operands.Count > 0 && effects.NewGitRemotes.TryGetValue(operands[0], out var url) && (all || tags || effects.StagedSecrets.Count > 0))
        {
            effects.Add(EffectKinds.Upload, text, effects.StagedSecrets.Count > 0 ? [.. effects.StagedSecrets] : null, url, "repository", "new-remote");
        }
        var force = hardForce || lease || mirror;
        effects.Add(EffectKinds.GitPush, text, null, string.Join(' ', branches), FileEffects.Flags(
            force ? "force" : null,
            lease && !hardForce && !mirror ? "lease" : null,
            isProtected ? "protected" : null,
            delete ? "delete" : null,
            tags ? "tags" : null,
            mirror ? "mirror" : null,
            hasBranch ? null : "no-branch"));
    }

    private static bool LooksLikeVersionTag(string name) =>
        name.Length > 1 && (name[0] == 'v' && char.IsAsciiDigit(name[1]) || char.IsAsciiDigit(name[0]) && name.Contains('.', StringComparison.Ordinal) && name.All(c => char.IsAsciiDigit(c) || c is '.' or '-' || char.IsAsciiLetter(c)) && char.IsAsciiDigit(name[^1]));

    private static void Branch(List<string> args, string text, EffectBuilder effects)
    {
        var forceDelete = HasShort(args, 'D') || (HasShort(args, 'd') || HasLong(args, "--delete")) && (HasShort(args, 'f') || HasLong(args, "--force"));
        var delete = forceDelete || HasShort(args, 'd') || HasLong(args, "--delete");
        if (!delete)
        {
            return;
        }
        var names = Operands(args);
        var isProtected = names.Any(effects.IsProtectedBranch);
        effects.Add(EffectKinds.GitBranchDelete, text, null, string.Join(' ', names), FileEffects.Flags(forceDelete ? "force" : null, isProtected ? "protected" : null));
    }

    private static void Config(string setting, string text, EffectBuilder effects, bool unset = false)
    {
        var eq = setting.IndexOf('=');
        var key = (eq < 0 ? setting : setting[..eq]).ToLowerInvariant();
        var value = eq < 0 ? "" : setting[(eq + 1)..];
        if (key == "core.hookspath" && (unset || value is "" or "/dev/null" or "/tmp" or "/nonexistent" || value.StartsWith("/tmp/", StringComparison.Ordinal) || value.StartsWith("/dev/", StringComparison.Ordinal)))
        {
            effects.Add(EffectKinds.SkipHooks, text, null, "core.hooksPath");
        }
        else if (key is "http.sslverify" && value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            effects.Add(EffectKinds.ContentTlsDisabled, text, null, "git config http.sslVerify false");
        }
        else if (key is "commit.gpgsign" or "core.hookspath" && unset)
        {
            effects.Add(EffectKinds.SkipHooks, text, null, key);
        }
    }

    private static void HookVariable(string assignment, string text, EffectBuilder effects)
    {
        var eq = assignment.IndexOf('=');
        if (eq <= 0 || !HookSkippingVariables.Contains(assignment[..eq]))
        {
            return;
        }
        var name = assignment[..eq];
        var value = assignment[(eq + 1)..];
        var skips = name switch
        {
            "HUSKY" or "LEFTHOOK" => value == "0",
            "SKIP" => value.Length > 0,
            _ => value is "1" or "true",
        };
        if (skips)
        {
            effects.Add(EffectKinds.SkipHooks, text, null, assignment);
        }
    }
}
