using Governance.Abstractions.Analysis;
using Governance.Abstractions.Policy;
using Governance.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Effects;
using Governance.Analysis.Interpreters;
using Governance.Analysis.Paths;

namespace Governance.Analysis.Tests.Paths;

public sealed class PathResolverTests
{
    private const string Cwd = "/home/dev/project/src";
    private const string Workspace = "/home/dev/project";
    private const string GovernanceRoot = "/opt/governance";

    private static readonly AnalysisScope Scope = AnalysisScope.Create(Cwd, Workspace, new AnalysisSettings(), GovernanceRoot);

    private static PathTarget Resolve(string raw) => PathResolver.Resolve(raw, Scope);

    private static void AssertClasses(PathTarget target, PathClass present, PathClass absent)
    {
        Assert.Equal(present, target.Classes & present);
        Assert.Equal(PathClass.None, target.Classes & absent);
    }

    [Fact]
    public void Create_WorkspaceBelowHome_HomeIsTheWorkspaceOwnersHome()
    {
        Assert.Equal("/home/dev", Scope.Home);
        Assert.Equal(Cwd, Scope.Cwd);
        Assert.Equal(Workspace, Scope.Workspace);
        Assert.Equal(GovernanceRoot, Scope.GovernanceRoot);
    }

    [Theory]
    [InlineData("~")]
    [InlineData("~/")]
    [InlineData("~//")]
    [InlineData("$HOME")]
    [InlineData("${HOME}")]
    [InlineData("$HOME/")]
    [InlineData("\"$HOME\"")]
    [InlineData("../..")]
    [InlineData("./../../")]
    [InlineData("/home/dev")]
    public void Resolve_HomeWrittenAnyWay_IsHomeAndWorkspaceParent(string raw)
    {
        var target = Resolve(raw);

        Assert.Equal("/home/dev", target.Path);
        Assert.Equal(raw, target.Raw);
        Assert.True(target.IsHome);
        Assert.True(target.IsWorkspaceParent);
        Assert.True(target.IsOutsideWorkspace);
        Assert.False(target.IsInsideHome);
        Assert.False(target.IsInsideWorkspace);
        Assert.False(target.IsRoot);
        Assert.False(target.IsGlob);
        Assert.False(target.IsUnresolved);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_GlobOverHome_IsHomeGlob()
    {
        var target = Resolve("~/*");

        Assert.Equal("/home/dev/*", target.Path);
        Assert.True(target.IsGlob);
        Assert.True(target.IsHome);
        Assert.False(target.IsInsideHome);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData("/", "/", false)]
    [InlineData("//", "/", false)]
    [InlineData("/*", "/*", true)]
    [InlineData("/home/dev/project/../../..", "/", false)]
    public void Resolve_RootOrGlobOverRoot_IsRoot(string raw, string path, bool glob)
    {
        var target = Resolve(raw);

        Assert.Equal(path, target.Path);
        Assert.Equal(glob, target.IsGlob);
        Assert.True(target.IsRoot);
        Assert.True(target.IsOutsideWorkspace);
        Assert.True(target.IsWorkspaceParent);
        Assert.False(target.IsHome);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("..//")]
    [InlineData("./..")]
    [InlineData("/home/dev/project")]
    [InlineData("/home/dev/project/")]
    [InlineData("/home/dev/project//")]
    [InlineData("/home/dev/project/./src/..")]
    [InlineData("$(pwd)/..")]
    [InlineData("$(git rev-parse --show-toplevel)")]
    public void Resolve_WorkspaceRootWithDotsAndTrailingSlashes_IsWorkspaceRoot(string raw)
    {
        var target = Resolve(raw);

        Assert.Equal(Workspace, target.Path);
        AssertClasses(target, PathClass.WorkspaceRoot, PathClass.InsideWorkspace | PathClass.OutsideWorkspace | PathClass.WorkspaceParent | PathClass.Home);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_ParentsOfWorkspaceAboveHome_IsSystemWorkspaceParentNotHome()
    {
        var target = Resolve("/home/dev/project/../..");

        Assert.Equal("/home", target.Path);
        AssertClasses(target, PathClass.System | PathClass.WorkspaceParent | PathClass.OutsideWorkspace, PathClass.Home | PathClass.InsideHome | PathClass.Root);
    }

    [Theory]
    [InlineData("*", "/home/dev/project/src/*")]
    [InlineData("./*", "/home/dev/project/src/*")]
    [InlineData("build/*", "/home/dev/project/src/build/*")]
    [InlineData("build/*.o", "/home/dev/project/src/build/*.o")]
    [InlineData("./build/", "/home/dev/project/src/build")]
    [InlineData("build//out/", "/home/dev/project/src/build/out")]
    public void Resolve_RelativeBelowCwd_IsInsideWorkspace(string raw, string path)
    {
        var target = Resolve(raw);

        Assert.Equal(path, target.Path);
        Assert.Equal(raw.Contains('*', StringComparison.Ordinal), target.IsGlob);
        AssertClasses(target, PathClass.InsideWorkspace, PathClass.WorkspaceRoot | PathClass.OutsideWorkspace | PathClass.Home | PathClass.InsideHome | PathClass.Root);
        Assert.False(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_GlobOverWorkspaceRoot_IsWorkspaceRoot()
    {
        var target = Resolve("../*");

        Assert.Equal("/home/dev/project/*", target.Path);
        Assert.True(target.IsGlob);
        Assert.True(target.IsWorkspaceRoot);
        Assert.False(target.IsInsideWorkspace);
    }

    [Theory]
    [InlineData("/tmp")]
    [InlineData("/tmp/x")]
    [InlineData("/tmp/build/")]
    [InlineData("/var/tmp/x")]
    [InlineData("/dev/shm/x")]
    [InlineData("$TMPDIR/x")]
    public void Resolve_TemporaryDirectories_IsTempNotSystem(string raw)
    {
        var target = Resolve(raw);

        AssertClasses(target, PathClass.Temp | PathClass.OutsideWorkspace, PathClass.System | PathClass.InsideWorkspace | PathClass.Home | PathClass.InsideHome);
        Assert.False(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_VarTmpItself_IsTempNotSystemLikeTmp()
    {
        var target = Resolve("/var/tmp");

        Assert.Equal("/var/tmp", target.Path);
        Assert.True(target.IsTemp);
        Assert.False(target.IsSystem);
        Assert.Equal(Resolve("/tmp").Classes, target.Classes);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/etc/hosts")]
    [InlineData("/usr/bin/env")]
    [InlineData("/var")]
    [InlineData("/var/log")]
    [InlineData("/boot/grub/grub.cfg")]
    [InlineData("/home")]
    public void Resolve_OperatingSystemPaths_IsSystem(string raw)
    {
        var target = Resolve(raw);

        Assert.Equal(raw, target.Path);
        AssertClasses(target, PathClass.System | PathClass.OutsideWorkspace, PathClass.Temp | PathClass.InsideWorkspace | PathClass.Home | PathClass.Device);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData("/dev/sda")]
    [InlineData("/dev/sdb1")]
    [InlineData("/dev/nvme0n1")]
    [InlineData("/dev/mapper/root")]
    public void Resolve_BlockDevice_IsDevice(string raw)
    {
        var target = Resolve(raw);

        Assert.True(target.IsDevice);
        Assert.True(target.IsSystem);
        Assert.False(target.Is(PathClass.NullDevice));
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/zero")]
    [InlineData("/dev/stdout")]
    [InlineData("/dev/urandom")]
    [InlineData("/dev/fd/3")]
    public void Resolve_PseudoDevice_IsOnlyNullDevice(string raw)
    {
        var target = Resolve(raw);

        Assert.Equal(PathClass.NullDevice, target.Classes);
        Assert.False(target.IsDevice);
        Assert.False(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData(".env", "/home/dev/project/src/.env", PathClass.InsideWorkspace)]
    [InlineData("../.env", "/home/dev/project/.env", PathClass.InsideWorkspace)]
    [InlineData(".env.production", "/home/dev/project/src/.env.production", PathClass.InsideWorkspace)]
    [InlineData("~/.ssh/id_rsa", "/home/dev/.ssh/id_rsa", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("$HOME/.ssh/id_ed25519", "/home/dev/.ssh/id_ed25519", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("~/.ssh", "/home/dev/.ssh", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("~/.aws/credentials", "/home/dev/.aws/credentials", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("~/.kube/config", "/home/dev/.kube/config", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("~/.netrc", "/home/dev/.netrc", PathClass.InsideHome | PathClass.OutsideWorkspace)]
    [InlineData("/etc/shadow", "/etc/shadow", PathClass.System | PathClass.OutsideWorkspace)]
    [InlineData("certs/server.key", "/home/dev/project/src/certs/server.key", PathClass.InsideWorkspace)]
    public void Resolve_CredentialFiles_IsSecret(string raw, string path, PathClass location)
    {
        var target = Resolve(raw);

        Assert.Equal(path, target.Path);
        Assert.True(target.IsSecret);
        AssertClasses(target, location, PathClass.None);
    }

    [Theory]
    [InlineData(".env", ".env.example")]
    [InlineData(".env", ".env.sample")]
    [InlineData(".env.local", ".env.template")]
    [InlineData("~/.ssh/id_rsa", "~/.ssh/id_rsa.pub")]
    [InlineData("~/.ssh/id_ed25519", "~/.ssh/known_hosts")]
    [InlineData("certs/server.key", "certs/server-cert.pem")]
    public void Resolve_CredentialAndItsPublicCounterpart_OnlyCredentialIsSecret(string secret, string harmless)
    {
        Assert.True(Resolve(secret).IsSecret);
        Assert.False(Resolve(harmless).IsSecret);
    }

    [Fact]
    public void Resolve_PublicKey_StaysInsideHome()
    {
        var target = Resolve("~/.ssh/id_rsa.pub");

        Assert.Equal("/home/dev/.ssh/id_rsa.pub", target.Path);
        AssertClasses(target, PathClass.InsideHome | PathClass.OutsideWorkspace, PathClass.Secret | PathClass.Home);
    }

    [Theory]
    [InlineData(".github/workflows/ci.yml", PathClass.CiConfig)]
    [InlineData("../.github/workflows/release.yaml", PathClass.CiConfig)]
    [InlineData("../.gitlab-ci.yml", PathClass.CiConfig)]
    [InlineData(".git/hooks/pre-commit", PathClass.HookConfig)]
    [InlineData("../.git/hooks/pre-push", PathClass.HookConfig)]
    [InlineData("../.husky/pre-commit", PathClass.HookConfig)]
    [InlineData("../.pre-commit-config.yaml", PathClass.HookConfig)]
    [InlineData(".claude/settings.json", PathClass.GuardConfig)]
    [InlineData("../.claude/settings.local.json", PathClass.GuardConfig)]
    [InlineData("~/.claude/settings.json", PathClass.GuardConfig)]
    [InlineData(".mcp.json", PathClass.AgentConfig | PathClass.GuardConfig)]
    [InlineData("~/.claude.json", PathClass.AgentConfig | PathClass.GuardConfig)]
    [InlineData("~/.bashrc", PathClass.ShellProfile)]
    [InlineData("~/.zshrc", PathClass.ShellProfile)]
    [InlineData("$HOME/.profile", PathClass.ShellProfile)]
    [InlineData("/etc/profile.d/x.sh", PathClass.ShellProfile)]
    public void Resolve_ConfigurationFiles_HaveTheirConfigClass(string raw, PathClass expected)
    {
        var configClasses = PathClass.CiConfig | PathClass.HookConfig | PathClass.GuardConfig | PathClass.AgentConfig | PathClass.ShellProfile | PathClass.GovernancePolicy;

        var target = Resolve(raw);

        Assert.Equal(expected, target.Classes & configClasses);
    }

    [Theory]
    [InlineData("src/ci.yml")]
    [InlineData("docs/workflows/ci.yml")]
    [InlineData(".claude/commands/review.md")]
    [InlineData("~/.bash_history")]
    [InlineData("hooks/pre-commit")]
    public void Resolve_LookalikesOfConfigurationFiles_NoGuardOrHookClass(string raw)
    {
        var target = Resolve(raw);

        Assert.False(target.IsGuardConfig);
        Assert.False(target.IsHookConfig);
        Assert.False(target.IsCiConfig);
        Assert.False(target.IsShellProfile);
    }

    [Fact]
    public void Resolve_ClaudeSettings_IsGuardConfigNotAgentConfig()
    {
        var target = Resolve(".claude/settings.json");

        Assert.Equal("/home/dev/project/src/.claude/settings.json", target.Path);
        AssertClasses(target, PathClass.GuardConfig | PathClass.InsideWorkspace, PathClass.AgentConfig | PathClass.GovernancePolicy);
    }

    [Fact]
    public void Resolve_McpJson_IsGuardConfig_ItRegistersTheGovernanceServer()
    {
        var target = Resolve(".mcp.json");

        AssertClasses(target, PathClass.AgentConfig | PathClass.GuardConfig | PathClass.InsideWorkspace, PathClass.Secret);
    }

    [Fact]
    public void Resolve_BashrcInHome_IsShellProfileInsideHome()
    {
        var target = Resolve("~/.bashrc");

        Assert.Equal("/home/dev/.bashrc", target.Path);
        AssertClasses(target, PathClass.ShellProfile | PathClass.InsideHome | PathClass.OutsideWorkspace, PathClass.Home | PathClass.Secret);
    }

    [Theory]
    [InlineData("/opt/governance/rules/x.yaml")]
    [InlineData("/opt/governance/personas/security-reviewer.yaml")]
    [InlineData("/opt/governance/plugins/p.yaml")]
    [InlineData("/opt/governance/data/governance.db")]
    [InlineData("/opt/governance")]
    public void Resolve_GovernancePolicyFiles_IsGovernancePolicyAndGuardConfig(string raw)
    {
        var target = Resolve(raw);

        AssertClasses(target, PathClass.GovernancePolicy | PathClass.GuardConfig | PathClass.OutsideWorkspace, PathClass.InsideWorkspace);
    }

    [Theory]
    [InlineData("/opt/governance/docs/readme.md")]
    [InlineData("/opt/governance-old/rules/x.yaml")]
    [InlineData("rules/x.yaml")]
    public void Resolve_OutsideGovernancePolicy_NotGovernancePolicy(string raw)
    {
        var target = Resolve(raw);

        Assert.False(target.IsGovernancePolicy);
        Assert.False(target.IsGuardConfig);
    }

    [Theory]
    [InlineData("$UNSET/")]
    [InlineData("$BUILD_DIR/*")]
    [InlineData("${OUT}/x")]
    [InlineData("$(whoami)/x")]
    [InlineData("`mktemp -d`")]
    public void Resolve_UnknownVariablePrefix_UnresolvedWithoutClasses(string raw)
    {
        var target = Resolve(raw);

        Assert.True(target.IsUnresolved);
        Assert.Equal(PathClass.None, target.Classes);
        Assert.False(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_UnknownVariableBelowKnownPrefix_UnresolvedButClassifiedBelowPrefix()
    {
        var target = Resolve("/srv/$X");

        Assert.True(target.IsUnresolved);
        Assert.Equal("/srv", target.Path);
        Assert.NotEqual(PathClass.None, target.Classes);
        AssertClasses(target, PathClass.OutsideWorkspace, PathClass.InsideWorkspace | PathClass.Home | PathClass.Root | PathClass.Temp);
    }

    [Fact]
    public void Resolve_UnknownVariableBelowHome_ClassifiedInHome()
    {
        var target = Resolve("$HOME/$DIR");

        Assert.True(target.IsUnresolved);
        Assert.StartsWith("/home/dev", target.Path, StringComparison.Ordinal);
        Assert.True(target.Is(PathClass.Home | PathClass.InsideHome));
    }

    [Theory]
    [InlineData("$(pwd)", Cwd)]
    [InlineData("`pwd`", Cwd)]
    [InlineData("$PWD", Cwd)]
    [InlineData("$(pwd)/x", Cwd + "/x")]
    [InlineData("$(echo ~)/x", "/home/dev/x")]
    public void Resolve_KnownSubstitutions_ResolvedNotUnresolved(string raw, string path)
    {
        var target = Resolve(raw);

        Assert.Equal(path, target.Path);
        Assert.False(target.IsUnresolved);
        Assert.NotEqual(PathClass.None, target.Classes);
    }

    [Fact]
    public void Resolve_PwdSubstitution_IsInsideWorkspace()
    {
        var target = Resolve("$(pwd)");

        AssertClasses(target, PathClass.InsideWorkspace, PathClass.WorkspaceRoot | PathClass.OutsideWorkspace);
    }

    [Fact]
    public void Resolve_GitDirectory_IsGitDirectory()
    {
        var target = Resolve("../.git");

        Assert.Equal("/home/dev/project/.git", target.Path);
        AssertClasses(target, PathClass.GitDirectory | PathClass.InsideWorkspace, PathClass.HookConfig);
        Assert.True(target.IsCatastrophicDeleteTarget);
    }

    [Fact]
    public void Resolve_OtherUsersHome_IsHomeNotInsideOwnHome()
    {
        var target = Resolve("~alice");

        Assert.Equal("/home/alice", target.Path);
        AssertClasses(target, PathClass.Home | PathClass.OutsideWorkspace, PathClass.InsideHome | PathClass.WorkspaceParent);
    }

    [Fact]
    public void Resolve_InsideHomeOutsideWorkspace_IsInsideHome()
    {
        var target = Resolve("~/other-project/build");

        Assert.Equal("/home/dev/other-project/build", target.Path);
        AssertClasses(target, PathClass.InsideHome | PathClass.OutsideWorkspace, PathClass.Home | PathClass.InsideWorkspace | PathClass.WorkspaceParent);
        Assert.False(target.IsCatastrophicDeleteTarget);
    }

    [Theory]
    [InlineData("src/app.py", PathClass.InsideWorkspace)]
    [InlineData("./src/", PathClass.InsideWorkspace)]
    [InlineData(".env", PathClass.InsideWorkspace | PathClass.Secret)]
    [InlineData(".", PathClass.WorkspaceRoot)]
    [InlineData("*", PathClass.WorkspaceRoot)]
    [InlineData("..", PathClass.WorkspaceParent | PathClass.OutsideWorkspace)]
    [InlineData("../..", PathClass.WorkspaceParent | PathClass.OutsideWorkspace)]
    public void Resolve_RelativePathWithoutCwd_ClassifiedAgainstAnUnknownWorkspace(string raw, PathClass expected)
    {
        var scope = AnalysisScope.Create("", "", new AnalysisSettings { Home = "/home/dev" }, "");

        var target = PathResolver.Resolve(raw, scope);

        AssertClasses(target, expected, PathClass.None);
        Assert.False(target.IsUnresolved);
        Assert.False(target.Is(PathClass.Home | PathClass.InsideHome | PathClass.Temp));
        Assert.StartsWith("/", target.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TildeWithoutCwd_UsesConfiguredHome()
    {
        var scope = AnalysisScope.Create("", "", new AnalysisSettings { Home = "/home/dev" }, "");

        var target = PathResolver.Resolve("~/.ssh/id_rsa", scope);

        Assert.Equal("/home/dev/.ssh/id_rsa", target.Path);
        AssertClasses(target, PathClass.InsideHome | PathClass.Secret | PathClass.OutsideWorkspace, PathClass.InsideWorkspace);
    }

    [Theory]
    [InlineData("/a/./b/../c//d/", "/a/c/d")]
    [InlineData("/../..", "/")]
    [InlineData("", "/")]
    [InlineData("/x/", "/x")]
    public void Normalize_DotsAndSlashes_Collapsed(string path, string expected)
    {
        Assert.Equal(expected, PathResolver.Normalize(path));
    }
}
