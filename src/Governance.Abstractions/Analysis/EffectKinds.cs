namespace Governance.Abstractions.Analysis;

/// <summary>The vocabulary of <see cref="OperationEffect.Kind"/>: what the analysis can tell an operation does.</summary>
public static class EffectKinds
{
    /// <summary>rm, rmdir, unlink, find -delete, shutil.rmtree, fs.rmSync... Flags: recursive, force.</summary>
    public const string Delete = "delete";
    /// <summary>truncate -s 0, "&gt; file", ": &gt; file".</summary>
    public const string Truncate = "truncate";
    /// <summary>A file is created or changed: redirection, tee, cp/mv/install destination, sed -i, Write/Edit. Flags: tool, append, redirect.</summary>
    public const string Write = "write";
    /// <summary>ln: a link to the targets is made (symbolic or hard); writing through it later writes them.</summary>
    public const string Link = "link";
    /// <summary>A file's content is read: cat, less, head, grep over a file, cp source, Read.</summary>
    public const string Read = "read";
    /// <summary>Local data sent to another host: curl -d @f / -F / -T, wget --post-file, scp/rsync to a remote, nc. Detail: host. Flags: environment, stdin.</summary>
    public const string Upload = "upload";
    /// <summary>Content fetched from the network is executed by a shell or interpreter (curl | sh, bash &lt;(curl ...)). Detail: the fetch.</summary>
    public const string PipeToShell = "pipe-to-shell";
    /// <summary>A file downloaded by the same command line is then executed or made executable.</summary>
    public const string RunDownloaded = "run-downloaded";
    /// <summary>The command runs with raised privileges (sudo, doas, su, pkexec). Detail: the wrapper.</summary>
    public const string Privilege = "privilege";
    /// <summary>chmod/chown/chgrp. Flags: recursive, world-writable, owner.</summary>
    public const string PermissionChange = "permission-change";
    /// <summary>Firewall or mandatory access control turned off (ufw disable, iptables -F, setenforce 0, ...).</summary>
    public const string SecurityDisable = "security-disable";
    /// <summary>crontab changed. Flags: remove (crontab -r).</summary>
    public const string CronChange = "cron-change";
    /// <summary>A system service stopped, disabled, masked or restarted.</summary>
    public const string ServiceControl = "service-control";
    /// <summary>Users, groups, passwords or sudoers changed.</summary>
    public const string AccountChange = "account-change";
    /// <summary>A block device is written, partitioned, formatted or wiped.</summary>
    public const string DiskWrite = "disk-write";
    /// <summary>Files overwritten to make them unrecoverable (shred).</summary>
    public const string Shred = "shred";
    /// <summary>DROP DATABASE/SCHEMA/TABLE, db.dropDatabase(). Flags: database, schema, table, collection. Detail: the statement.</summary>
    public const string DbDrop = "db-drop";
    /// <summary>TRUNCATE TABLE.</summary>
    public const string DbTruncate = "db-truncate";
    /// <summary>DELETE or UPDATE without WHERE. Flags: delete, update.</summary>
    public const string DbUnboundedChange = "db-unbounded-change";
    /// <summary>redis FLUSHALL/FLUSHDB. Flags: all.</summary>
    public const string DbFlush = "db-flush";
    /// <summary>A framework command that drops or resets the database (rails db:drop, dotnet ef database drop, prisma migrate reset).</summary>
    public const string DbReset = "db-reset";
    /// <summary>git push. Flags: force, force-with-lease, protected, delete, tags, mirror, no-branch. Detail: the branches.</summary>
    public const string GitPush = "git-push";
    /// <summary>Uncommitted work thrown away. Detail: reset-hard, checkout, restore, clean, switch-force, stash-clear, stash-drop.</summary>
    public const string GitDiscard = "git-discard";
    /// <summary>git branch -D / --delete --force. Flags: force, protected.</summary>
    public const string GitBranchDelete = "git-branch-delete";
    /// <summary>History rewritten: filter-branch, filter-repo, rebase, reflog expire, update-ref -d. Flags: protected.</summary>
    public const string GitHistoryRewrite = "git-history-rewrite";
    /// <summary>Commit hooks or checks bypassed (--no-verify, core.hooksPath, HUSKY=0, SKIP=...). Detail: how.</summary>
    public const string SkipHooks = "skip-hooks";
    /// <summary>Processes killed. Flags: all (every process of the user), force.</summary>
    public const string KillProcesses = "kill-processes";
    /// <summary>Shutdown, reboot, halt, poweroff.</summary>
    public const string Power = "power";
    /// <summary>A function that spawns itself in the background.</summary>
    public const string ForkBomb = "fork-bomb";
    /// <summary>Something runs that the analysis cannot see (dynamic command name, undecodable payload, nesting limit). Detail: why.</summary>
    public const string OpaqueExecution = "opaque-execution";
    /// <summary>
    /// An MCP tool whose name says it changes or runs something the analysis cannot see as files: delete_repository,
    /// merge_pull_request, execute_command, send_message. Detail: the verb. Flag: destructive (delete, drop, destroy, …).
    /// </summary>
    public const string ToolAction = "tool-action";
    /// <summary>Edited content holds a credential (key, token, private key, hard-coded password). Detail: which kind.</summary>
    public const string ContentSecret = "content-secret";
    /// <summary>Edited content turns TLS certificate verification off.</summary>
    public const string ContentTlsDisabled = "content-tls-disabled";
    /// <summary>Edited content evaluates request or user input as code.</summary>
    public const string ContentEvalInput = "content-eval-input";
    /// <summary>Edited content skips or disables tests.</summary>
    public const string ContentTestSkipped = "content-test-skipped";
    /// <summary>An edit of CI configuration that disables a job or step or lets it fail.</summary>
    public const string ContentCiWeakened = "content-ci-weakened";
    /// <summary>An edit that removes a security control (an auth check, CSRF, rate limiting) or adds an insecure construct.</summary>
    public const string ContentSecurityWeakened = "content-security-weakened";
    /// <summary>Written content that looks machine-generated: 200,000 characters or more, or a line of 5,000 or more. Detail: which.</summary>
    public const string ContentGenerated = "content-generated";
}
