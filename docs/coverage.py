#!/usr/bin/env python3
"""Writes docs/coverage.md: every danger category and evasion family of THREATS and of the analysis issue, the pack's
personas and rules that handle it, and how many labelled corpus cases exercise it. Run from the repository root:
    python3 docs/coverage.py
A family's cases are found by its pattern over the case (operation, command, path, url, tool input) or by its
`family` label; a row with no case fails the script."""
import glob, json, re, sys

cases = []
for path in sorted(glob.glob("tests/corpus/*.jsonl")):
    for line in open(path, encoding="utf-8"):
        if line.strip():
            cases.append(json.loads(line))

def text(case):
    c = case.get("context", {})
    ti = c.get("tool_input", {}) if isinstance(c.get("tool_input"), dict) else {}
    parts = [case["operation"], c.get("command", "") or ti.get("command", ""), c.get("file_path", ""), c.get("url", ""), c.get("content", ""),
             c.get("new_string", ""), json.dumps(ti) if case["operation"].startswith("mcp__") else ""]
    # Fields are joined by a unit separator, so no pattern matches across two of them.
    return "\x1f".join(str(p) for p in parts)

CATEGORIES = [
    ("recursive-deletion", "core-safety, operations-reviewer (recursive-delete-*), rules/protected-paths"),
    ("git-destructive", "git-steward"),
    ("safety-gates", "git-steward (skip-hooks), code-quality-reviewer, test-integrity-reviewer.csx, guard-config-protector"),
    ("secrets", "security-reviewer (secret reads, uploads), data-protection-officer, plugins/secret-scan.csx, rules/protected-paths"),
    ("remote-code-execution", "security-reviewer (pipe-to-shell, run-downloaded-file, run-remote-script)"),
    ("privilege-system", "security-reviewer (privilege-escalation), operations-reviewer (permissions, security-controls, services), core-safety"),
    ("disk-destruction", "core-safety, operations-reviewer (disk-device-write, shred-files)"),
    ("databases", "data-protection-officer (db-drop, flush-all, unbounded changes)"),
    ("cloud-cluster", "operations-reviewer (infrastructure-destroy, cluster-*, cloud-*)"),
    ("containers", "operations-reviewer (docker-prune, docker-mass-remove, compose-down-volumes), security-reviewer (privilege)"),
    ("publishing", "release-manager"),
    ("process-control", "operations-reviewer (kill-*, machine-power, fork-bomb), core-safety"),
    ("config-edits", "guard-config-protector, core-safety (system files), rules/protected-paths"),
    ("weakening-edits", "security-reviewer (content checks, auth-check-disabled, insecure-cookie-or-cors), code-quality-reviewer"),
    ("mcp-tools", "rules/mcp-tools/*.yaml catalog (tools judged as the operation they amount to); operations-reviewer (mcp-irreversible-tool, mcp-destructive-tool, mcp-action-tool), git-steward (tool-push-to-protected-branch), security-reviewer (upload-secret-value), data-protection-officer (SQL arguments), guard-config-protector"),
    ("routine", "every persona's default allow; rules/escalation.json"),
]

FAMILIES = [
    # THREATS evasion families
    ("wrappers (sudo, env, nice, timeout, xargs, …)", r"\b(?:sudo|doas|env|nice|timeout|nohup|stdbuf|ionice|setsid|exec|command|builtin)\s", "analysis: CommandWrappers; every command persona"),
    ("leading environment assignments", r"(?:^|[;&|]\s*)[A-Z_][A-Z0-9_]*=\S*\s+\w", "analysis: evaluator assignments"),
    ("shell re-entry (bash -c, sh -lc, zsh -c)", r"\b(?:ba|z|da|k)?sh\s+-\w*c\b", "analysis: evaluator sh -c"),
    ("substitution and indirection ($(…), backticks, eval, variables)", r"\$\(|`|\beval\b|\$\{?[A-Za-z_]", "analysis: evaluator"),
    ("encoded payloads (base64, printf escapes, xxd)", r"base64\s+(?:-d|--decode)|\\x[0-9a-f]{2}|xxd\s+-r", "analysis: evaluator StreamOutput"),
    ("other interpreters (python, node, perl, ruby, heredocs)", r"\b(?:python3?|node|perl|ruby)\s+(?:-\w*[ce]\b|-\s|<<)", "analysis: InterpreterCatalog, InterpreterCodeScanner"),
    ("compound commands (; && || | subshells groups newlines)", r"&&|\|\||;|\n|\(|\{", "analysis: parser"),
    ("flag permutations and long forms", r"\s-fr\b|\s-r\s+-f\b|--recursive|--force\b|\+\w+\s*$", "analysis: CommandArguments"),
    ("path tricks (~, $HOME, .., trailing /, globs)", r"~|\$HOME|\$\{HOME\}|\.\./|/\*", "analysis: PathResolver"),
    ("tool switching (Write/Edit/Read for what Bash may not do)", r"^(?:Write|Edit|MultiEdit|Read)\b", "guard-config-protector, security-reviewer, code-quality-reviewer"),
    ("find -exec / -delete, xargs, parallel", r"find\s.*-(?:exec|delete)|xargs|parallel\s", "analysis: find -exec, XargsInput"),
    ("aliases to the same effect (git restore, unlink, truncate, > file)", r"git\s+restore|git\s+switch\s+-f|\bunlink\b|truncate\s+-s\s*0|(?:^|;|&&)\s*>\s*\S", "operations-reviewer, git-steward"),
    ("loops, arrays, functions, aliases, names from pieces, which", r"\bfor\s+\w+\s+in\b|\w+=\(|\w+\s*\(\)\s*\{|\balias\s+\w+=|\$\w+\$\w+|`which\s|\$\(command\s+-v", "analysis: ShellEvaluator"),
    ("commands handed to runners (watch, su -c, ssh, docker/kubectl exec, at, tmux)", r"\bwatch\s|\bsu\s+-c|\brunuser\b|\bscript\s+-\w*c|\bflock\s|\bssh\s+\S+\s+['\"]|docker\s+exec|kubectl\s+exec|tmux\s+send|\|\s*at\s", "analysis: CommandStrings"),
    ("more interpreters and decoders (php, awk, deno, bun, lua, R, PowerShell, rev, tr, xxd)", r"\bphp\s+-r|\bawk\s+'|deno\s+eval|\bbun\s+-e|\blua\s+-e|Rscript|pwsh|powershell|\|\s*rev\s*\||\btr\s+'|xxd", "analysis: InterpreterCatalog, evaluator decoders"),
    ("exfiltration by other channels (DNS, gists, new remotes, uploads, cloud copies, /dev/tcp)", r"gist\s+create|git\s+remote\s+add|curl\s.*-(?:F|T)\s|--post-file|/dev/tcp|\bdig\s|nslookup|aws\s+s3\s+cp|rsync\s.*\S+:|scp\s", "security-reviewer (upload-*), NetworkEffects"),
    ("attacks on the guard's input (padding, surrogates, look-alike letters)", r"[^\x00-\x7f]", "validation, DisguisedName (opaque → ask)"),
    # issue 12 families
    ("containers with host access", r"docker\s+run\s.*(?:-v\s+(?:/|~)|--privileged|--pid=host)|podman\s+run", "analysis: ContainerRun; security-reviewer (privilege)"),
    ("destruction spelled differently (shred via find, rsync --delete, cp /dev/null)", r"shred|rsync\s.*--delete|cp\s+/dev/null|rclone\s+sync", "operations-reviewer (shred-files, sync-with-delete, service-data-destroyed)"),
    ("persistence and downloaded code", r"crontab|systemd|\.bashrc|\.zshrc|\.profile|chmod\s+\+x|-o\s+\S+\s*&&", "guard-config-protector (persistence-*), security-reviewer (run-downloaded-file)"),
    ("MCP tools", r"^mcp__", "McpToolEffects with the rules/mcp-tools/ catalog; operations-reviewer, git-steward, security-reviewer, data-protection-officer, guard-config-protector"),
    ("service and infrastructure CLIs (brokers, search, secrets, backups, sync, DB CLIs, bare SQL, gh repo)", r"kafka|_delete_by_query|vault\s|restic|borg\s|rclone|dropdb|mysqladmin|^Bash\x1f(?:DELETE|DROP|TRUNCATE)\b|gh\s+repo\s+(?:delete|archive)|redis-cli|psql|mysql\s", "operations-reviewer (service-data-destroyed, sync-with-delete), data-protection-officer"),
    ("spelling tricks (upper case, Unicode dashes, git restore -W, heredocs to interpreters)", r"[\u2010-\u2015\u2212]|git\s+[A-Z]{3,}|restore\s+-W|branch\s+-f|<<\s*['\"]?\w+", "analysis: WithAsciiDashes, GitEffects"),
    ("WebFetch and network tools (secrets in URLs, metadata endpoints)", r"^WebFetch|169\.254\.169\.254|metadata\.google", "security-reviewer (network checks), rules/protected-paths (metadata)"),
    ("edits that weaken security in code", r"secure\s*:\s*false|origin\s*:\s*['\"]\*|verify\s*=\s*False|rejectUnauthorized|//\s*if\s*\(!", "security-reviewer (content-*, auth-check-disabled, insecure-cookie-or-cors)"),
    ("edits that switch off gates", r"exit 0|\|\|\s*true|passWithNoTests|\.husky|--no-verify", "code-quality-reviewer (test-script-always-passes), test-integrity-reviewer.csx, git-steward"),
    ("false blocks (temp dirs, workspace loops, routine prunes, own processes)", r"mktemp|node_modules|\./bin|/tmp/|image\s+prune|pkill\s+-f", "benign: operations-reviewer exclusions, PathResolver temp class"),
]

rows = []
missing = []
out = ["# Coverage of the default pack", "",
       "Every danger category and evasion family (THREATS.md and the analysis issue), the parts of the pack and the analysis",
       "that handle it, and how many labelled cases in `tests/corpus/` exercise it (dangerous / benign). Written by",
       "`python3 docs/coverage.py`; a family's cases are those its pattern matches or that carry its `family` label.", "",
       "## Danger categories", "", "| category | handled by | cases | dangerous | benign |", "|---|---|---|---|---|"]
for category, handlers in CATEGORIES:
    mine = [c for c in cases if c["category"] == category]
    dangerous = sum(1 for c in mine if c["expected"] != "allow")
    if not mine:
        missing.append(category)
    out.append(f"| {category} | {handlers} | {len(mine)} | {dangerous} | {len(mine) - dangerous} |")
out += ["", "## Evasion and analysis families", "", "| family | handled by | cases | dangerous | benign |", "|---|---|---|---|---|"]
for family, pattern, handlers in FAMILIES:
    regex = re.compile(pattern, re.M)
    mine = [c for c in cases if regex.search(text(c))]
    dangerous = sum(1 for c in mine if c["expected"] != "allow")
    if not mine:
        missing.append(family)
    shown = family.replace("|", "\\|")
    out.append(f"| {shown} | {handlers} | {len(mine)} | {dangerous} | {len(mine) - dangerous} |")
out += ["", f"{len(cases)} cases in all.", ""]
open("docs/coverage.md", "w", encoding="utf-8").write("\n".join(out))
if missing:
    sys.exit("no corpus case for: " + ", ".join(missing))
print(f"docs/coverage.md written: {len(CATEGORIES)} categories, {len(FAMILIES)} families, {len(cases)} cases")
