using System.Text.Json;
using Governance.Abstractions.Analysis;
using Governance.Abstractions.Policy;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;
using Governance.Core.Validation;

namespace Governance.Analysis.Tests.Effects;

public sealed class GitEffectsTests
{
    private const string Workspace = "/home/dev/project";

    private static OperationAnalysis Analyze(string command, AnalysisSettings? settings = null)
    {
        var context = JsonSerializer.SerializeToElement(new { command, cwd = Workspace });
        var operation = OperationNormalizer.Normalize("Bash", context, out var error);
        Assert.True(operation is not null, error);
        var scope = AnalysisScope.Create(operation.Cwd, operation.Workspace, settings ?? new AnalysisSettings(), "/opt/governance");
        return OperationAnalyzer.Analyze(operation, scope);
    }

    private static string[] Split(string flags) => flags.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertFlags(string expected, OperationEffect effect) =>
        Assert.Equal(Split(expected).Order(StringComparer.Ordinal), effect.Flags.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("git push -f origin main", "force,protected", "main")]
    [InlineData("git push origin +main", "force,protected", "main")]
    [InlineData("git push --force-with-lease origin main", "force,lease,protected", "main")]
    [InlineData("git push --force-with-lease origin feature/x", "force,lease", "feature/x")]
    [InlineData("git push --force origin feature/x", "force", "feature/x")]
    [InlineData("git push -f", "force,no-branch", "")]
    [InlineData("git push --force-with-lease", "force,lease,no-branch", "")]
    [InlineData("git push --mirror", "force,protected,mirror", "")]
    [InlineData("git push origin --delete main", "protected,delete", "main")]
    [InlineData("git push origin :release/1.9", "protected,delete", "release/1.9")]
    [InlineData("git push origin feature/x", "", "feature/x")]
    [InlineData("git push -u origin main", "protected", "main")]
    [InlineData("git push --tags", "tags,no-branch", "")]
    [InlineData("git push origin v1.2.0", "tags,no-branch", "")]
    [InlineData("git push origin tag v1.2.0", "tags,no-branch", "")]
    [InlineData("git push origin HEAD:main --force", "force,protected", "main")]
    [InlineData("git push origin main:refs/heads/master -f", "force,protected", "master")]
    [InlineData("git push --force origin release/2.0", "force,protected", "release/2.0")]
    [InlineData("git -C /tmp/repo push -f origin main", "force,protected", "main")]
    [InlineData("git -c alias.yolo='push --force' yolo origin master", "force,protected", "master")]
    public void Analyze_GitPush_ReportsExactFlagsAndBranches(string command, string flags, string branches)
    {
        var push = Assert.Single(Analyze(command).Effects, e => e.Kind == EffectKinds.GitPush);

        AssertFlags(flags, push);
        Assert.Equal(branches, push.Detail);
    }

    [Theory]
    [InlineData("git push -f origin main", true)]
    [InlineData("git push --force-with-lease origin feature/x", true)]
    [InlineData("git push origin feature/x", false)]
    [InlineData("git push origin --delete main", false)]
    public void Analyze_GitPush_HasForcePushOnlyWhenForced(string command, bool forced)
    {
        Assert.Equal(forced, Analyze(command).HasForcePush);
    }

    [Theory]
    [InlineData("git push -f origin main")]
    [InlineData("sudo git push -f origin main")]
    [InlineData("bash -c 'git push -f origin main'")]
    [InlineData("cd sub && git push --force origin main")]
    public void Analyze_GitPushThroughWrappers_StillForcedAndProtected(string command)
    {
        var analysis = Analyze(command);

        Assert.True(analysis.Has(EffectKinds.GitPush, "force"));
        Assert.True(analysis.Has(EffectKinds.GitPush, "protected"));
    }

    [Theory]
    [InlineData("git status")]
    [InlineData("git log --oneline -n 5")]
    [InlineData("git fetch origin main")]
    [InlineData("git commit -m \"git push -f origin main\"")]
    [InlineData("echo git push --force origin main")]
    public void Analyze_NotAPush_NoPushEffect(string command)
    {
        Assert.False(Analyze(command).Has(EffectKinds.GitPush));
    }

    [Fact]
    public void Analyze_ConfiguredProtectedBranches_OnlyThoseBranchesProtected()
    {
        var settings = new AnalysisSettings { ProtectedBranches = ["trunk"] };

        var trunk = Assert.Single(Analyze("git push -f origin trunk", settings).Effects, e => e.Kind == EffectKinds.GitPush);
        var main = Assert.Single(Analyze("git push -f origin main", settings).Effects, e => e.Kind == EffectKinds.GitPush);

        AssertFlags("force,protected", trunk);
        AssertFlags("force", main);
    }

    [Theory]
    [InlineData("git push -f origin release/2.0", true)]
    [InlineData("git push -f origin release", true)]
    [InlineData("git push -f origin releases/2.0", false)]
    [InlineData("git push -f origin hotfix/main", false)]
    public void Analyze_DefaultReleaseGlob_ProtectsReleaseBranchesOnly(string command, bool isProtected)
    {
        Assert.Equal(isProtected, Analyze(command).Has(EffectKinds.GitPush, "protected"));
    }

    [Fact]
    public void Analyze_ConfiguredGlob_ProtectsMatchingBranchDeletion()
    {
        var settings = new AnalysisSettings { ProtectedBranches = ["prod-*"] };

        var delete = Assert.Single(Analyze("git branch -D prod-eu", settings).Effects, e => e.Kind == EffectKinds.GitBranchDelete);

        AssertFlags("force,protected", delete);
    }

    [Theory]
    [InlineData("git reset --hard", "reset-hard")]
    [InlineData("git reset --hard HEAD~3", "reset-hard")]
    [InlineData("git checkout -- .", "checkout")]
    [InlineData("git checkout .", "checkout")]
    [InlineData("git checkout -f main", "checkout")]
    [InlineData("git restore .", "restore")]
    [InlineData("git restore --staged --worktree .", "restore")]
    [InlineData("git switch -f main", "switch-force")]
    [InlineData("git switch --discard-changes main", "switch-force")]
    [InlineData("git clean -fdx", "clean")]
    [InlineData("git clean -f", "clean")]
    [InlineData("git stash clear", "stash-clear")]
    [InlineData("git stash drop", "stash-drop")]
    public void Analyze_DiscardOfUncommittedWork_ReportsGitDiscard(string command, string detail)
    {
        var discard = Assert.Single(Analyze(command).Effects, e => e.Kind == EffectKinds.GitDiscard);

        Assert.Equal(detail, discard.Detail);
    }

    [Fact]
    public void Analyze_CleanWithIgnoredFilesAndDirectories_FlagsBoth()
    {
        var discard = Assert.Single(Analyze("git clean -fdx").Effects, e => e.Kind == EffectKinds.GitDiscard);

        AssertFlags("ignored-files,directories", discard);
    }

    [Theory]
    [InlineData("git restore --staged .")]
    [InlineData("git restore --staged src/app.py")]
    [InlineData("git restore src/app.py")]
    [InlineData("git reset --soft HEAD~1")]
    [InlineData("git reset HEAD~1")]
    [InlineData("git checkout main")]
    [InlineData("git checkout -b feature/x")]
    [InlineData("git switch main")]
    [InlineData("git clean -n")]
    [InlineData("git clean -fdn")]
    [InlineData("git clean --dry-run -fd")]
    [InlineData("git stash")]
    [InlineData("git stash pop")]
    [InlineData("git stash list")]
    public void Analyze_NonDestructiveWorktreeCommand_NoGitDiscard(string command)
    {
        var analysis = Analyze(command);

        Assert.False(analysis.Has(EffectKinds.GitDiscard));
        Assert.True(analysis.Executes("git"));
    }

    [Theory]
    [InlineData("git branch -D feature/x", "force", "feature/x")]
    [InlineData("git branch -d feature/x", "", "feature/x")]
    [InlineData("git branch --delete feature/x", "", "feature/x")]
    [InlineData("git branch -D main", "force,protected", "main")]
    [InlineData("git branch -d master", "protected", "master")]
    [InlineData("git branch --delete --force main", "force,protected", "main")]
    [InlineData("git branch -d -f feature/x", "force", "feature/x")]
    public void Analyze_BranchDelete_ForceOnlyForCapitalDOrForce(string command, string flags, string branches)
    {
        var delete = Assert.Single(Analyze(command).Effects, e => e.Kind == EffectKinds.GitBranchDelete);

        AssertFlags(flags, delete);
        Assert.Equal(branches, delete.Detail);
    }

    [Theory]
    [InlineData("git branch feature/x")]
    [InlineData("git branch -a")]
    [InlineData("git branch -m old new")]
    public void Analyze_BranchWithoutDelete_NoBranchDelete(string command)
    {
        Assert.False(Analyze(command).Has(EffectKinds.GitBranchDelete));
    }

    [Theory]
    [InlineData("git filter-repo --path secrets --invert-paths", "filter-repo")]
    [InlineData("git filter-branch --tree-filter 'rm -f x' HEAD", "filter-branch")]
    [InlineData("git reflog expire --expire=now --all", "reflog")]
    [InlineData("git update-ref -d refs/heads/main", "update-ref")]
    [InlineData("git gc --prune=now", "gc")]
    public void Analyze_HistoryRewrite_ReportsHistoryRewrite(string command, string detail)
    {
        var rewrite = Assert.Single(Analyze(command).Effects, e => e.Kind == EffectKinds.GitHistoryRewrite);

        Assert.Equal(detail, rewrite.Detail);
    }

    [Theory]
    [InlineData("git commit --no-verify -m wip", "--no-verify")]
    [InlineData("git commit -n -m wip", "--no-verify")]
    [InlineData("git commit -nm wip", "--no-verify")]
    [InlineData("git push --no-verify origin feature/x", "--no-verify")]
    [InlineData("HUSKY=0 git commit -m wip", "HUSKY=0")]
    [InlineData("SKIP=lint git commit -m wip", "SKIP=lint")]
    [InlineData("export HUSKY=0", "HUSKY=0")]
    [InlineData("git -c core.hooksPath=/dev/null commit -m wip", "core.hooksPath")]
    [InlineData("git config core.hooksPath /dev/null", "core.hooksPath")]
    [InlineData("git config --unset core.hooksPath", "core.hooksPath")]
    public void Analyze_HookBypass_ReportsSkipHooks(string command, string detail)
    {
        var skip = Assert.Single(Analyze(command).Effects, e => e.Kind == EffectKinds.SkipHooks);

        Assert.Equal(detail, skip.Detail);
    }

    [Theory]
    [InlineData("git commit -m wip")]
    [InlineData("HUSKY=1 git commit -m wip")]
    [InlineData("git config --get core.hooksPath")]
    [InlineData("git config core.hooksPath .githooks")]
    [InlineData("git log -n 5")]
    [InlineData("git commit -m \"use --no-verify sparingly\"")]
    public void Analyze_NoHookBypass_NoSkipHooks(string command)
    {
        Assert.False(Analyze(command).Has(EffectKinds.SkipHooks));
    }

    [Fact]
    public void Analyze_PushWithNoVerify_ReportsPushAndSkipHooks()
    {
        var analysis = Analyze("git push --no-verify -f origin main");

        Assert.True(analysis.Has(EffectKinds.SkipHooks));
        Assert.True(analysis.Has(EffectKinds.GitPush, "force"));
        Assert.True(analysis.Has(EffectKinds.GitPush, "protected"));
    }
}
