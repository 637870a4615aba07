using System.Text.RegularExpressions;
using Governance.Analysis.Shell;

namespace Governance.Analysis.Interpreters;

/// <summary>
/// A light scan of interpreter code (python -c, node -e, heredocs, script files): the shell commands it runs,
/// the paths it deletes recursively or not, and the files it reads. String literals only; no evaluation.
/// </summary>
internal static partial class InterpreterCodeScanner
{
    private const int MaxCode = 128 * 1024;
    private const int MaxFindings = 32;

    /// <summary>What the code does, as far as literals show.</summary>
    public sealed record Findings(List<string> ShellCommands, List<string> RecursiveDeletes, List<string> Deletes, List<string> Reads, List<string> Writes, bool ForkBomb, bool RunsFetchedCode, bool KillsAll)
    {
        /// <summary>The code writes some file, even when its name is not a literal.</summary>
        public bool WritesFiles { get; init; }

        /// <summary>The code sends a request whose body carries the whole environment (process.env, os.environ, ENV).</summary>
        public bool SendsEnvironment { get; init; }
    }

    public static Findings Scan(string code)
    {
        var findings = new Findings([], [], [], [], [], false, false, false);
        if (code.Length > MaxCode)
        {
            code = code[..MaxCode];
        }
        foreach (Match match in ShellCall().Matches(code))
        {
            // system("rm -rf " ENVIRON["HOME"]), os.execute("rm -rf " .. os.getenv("HOME")): a command completed by the home directory.
            var command = match.Groups["s"].Value;
            var home = HomeExpression().Match(code, match.Index + match.Length);
            if (home.Success && home.Index - (match.Index + match.Length) <= 4 && command.EndsWith(' '))
            {
                command += "~";
            }
            Add(findings.ShellCommands, command);
        }
        foreach (Match match in ShellList().Matches(code))
        {
            var words = ListItem().Matches(match.Groups["l"].Value).Select(m => m.Groups["s"].Value).ToArray();
            if (words.Length > 0)
            {
                Add(findings.ShellCommands, string.Join(' ', words.Select(Quote)));
            }
        }
        foreach (Match match in Backticks().Matches(code))
        {
            Add(findings.ShellCommands, match.Groups["s"].Value);
        }
        foreach (Match match in RecursiveDelete().Matches(code))
        {
            Add(findings.RecursiveDeletes, PathOf(match.Groups["e"].Value));
        }
        foreach (Match match in SingleDelete().Matches(code))
        {
            Add(findings.Deletes, PathOf(match.Groups["e"].Value));
        }
        var written = new HashSet<int>();
        foreach (Match match in FileWrite().Matches(code))
        {
            written.Add(match.Index);
            Add(findings.Writes, PathOf(match.Groups["e"].Value));
        }
        foreach (Match match in FileRead().Matches(code))
        {
            if (!written.Contains(match.Index))
            {
                Add(findings.Reads, PathOf(match.Groups["e"].Value));
            }
        }
        return findings with
        {
            ForkBomb = ForkLoop().IsMatch(code),
            RunsFetchedCode = RemoteExec().IsMatch(code),
            KillsAll = KillAll().IsMatch(code),
            WritesFiles = written.Count > 0,
            SendsEnvironment = Sender().IsMatch(code) && WholeEnvironment().IsMatch(code)
        };
    }

    private static void Add(List<string> list, string value)
    {
        if (value.Length > 0 && list.Count < MaxFindings)
        {
            list.Add(value);
        }
    }

    private static string Quote(string word) => word.Length == 0 || word.Any(char.IsWhiteSpace) ? "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : word;

    // A path expression: a string literal, or an expression that means the home directory, optionally joined with a literal.
    private static string PathOf(string expression)
    {
        var text = expression.Trim();
        var home = HomeExpression().Match(text);
        if (home.Success)
        {
            var rest = Literal().Match(text, home.Index + home.Length);
            return rest.Success && rest.Index < home.Index + home.Length + 6 ? "~/" + rest.Groups["s"].Value.TrimStart('/') : "~";
        }
        var literal = Literal().Match(text);
        return literal.Success && literal.Index <= 2 ? literal.Groups["s"].Value : "";
    }

    [GeneratedRegex("""(?:os\.system|os\.popen|os\.execute|io\.popen|Deno\.Command|Bun\.spawnSync|Bun\.spawn|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)|execSync|exec|spawnSync|execFileSync|system|shell_exec|passthru|popen|IO\.popen|Open3\.\w+|child_process\.\w+|Runtime\.getRuntime\(\)\.exec|proc_open)\s*\(?\s*(?:'(?<s>(?:[^'\\]|\\.)+)'|"(?<s>(?:[^"\\]|\\.)+)"|`(?<s>(?:[^`\\]|\\.)+)`)""", RegexOptions.NonBacktracking)]
    private static partial Regex ShellCall();

    [GeneratedRegex(@"(?:subprocess\.(?:run|call|check_call|check_output|Popen)|spawnSync|spawn|execFileSync|execFile|os\.execvp?)\s*\(\s*(?:['""]\w+['""]\s*,\s*)?\[(?<l>[^\]]{1,2000})\]", RegexOptions.NonBacktracking)]
    private static partial Regex ShellList();

    [GeneratedRegex(@"'(?<s>(?:[^'\\]|\\.)*)'|""(?<s>(?:[^""\\]|\\.)*)""", RegexOptions.NonBacktracking)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"(?:^|[^\w$])(?:`(?<s>[^`\n]+)`|qx\{(?<s>[^}]+)\}|%x\((?<s>[^)]+)\))", RegexOptions.NonBacktracking)]
    private static partial Regex Backticks();

    [GeneratedRegex(@"(?:shutil\.rmtree|rmtree|Deno\.removeSync|Deno\.remove|remove_tree|rm_rf|rm_r|FileUtils\.rm_rf|FileUtils\.remove_dir|FileUtils\.rm_r|rimraf(?:\.sync)?|(?:\.|\b)rmSync|(?:\.|\b)rmdirSync|fs\.promises\.rm|fsPromises\.rm|fs\.rm|fse\.removeSync|fse\.remove|Directory\.Delete|remove_dir_all|os\.removedirs|deleteRecursively)\s*\(?\s*(?<e>[^,;\n]{1,300})", RegexOptions.NonBacktracking)]
    private static partial Regex RecursiveDelete();

    [GeneratedRegex(@"(?:os\.remove|os\.unlink|fs\.unlinkSync|fs\.unlink|File\.delete|File\.unlink|unlink|Path\([^)]*\)\.unlink|File\.Delete)\s*\(\s*(?<e>[^,;\n]{1,300})", RegexOptions.NonBacktracking)]
    private static partial Regex SingleDelete();

    [GeneratedRegex(@"(?:\bopen|readFileSync|readFile|File\.read|IO\.read|file_get_contents|File\.ReadAllText|read_text|Path)\s*\(\s*(?<e>[^,;\n]{1,300})", RegexOptions.NonBacktracking)]
    private static partial Regex FileRead();

    [GeneratedRegex(@"(?:\bopen\s*\(\s*(?<e>[^,()\n]{1,300})\s*,\s*['""][wax]|(?:writeFileSync|appendFileSync|writeFile|File\.write|IO\.write|file_put_contents|File\.WriteAllText|write_text|write_bytes)\s*\(\s*(?<e>[^,;\n]{1,300}))", RegexOptions.NonBacktracking)]
    private static partial Regex FileWrite();

    [GeneratedRegex(@"(?:exec|eval|Function|runInThisContext|compile)\s*\([^\n]{0,200}(?:urlopen|requests\.get|urllib|fetch\s*\(|https?\.get|http\.request|Net::HTTP|open-uri|URI\.open|file_get_contents\s*\(\s*['""]https?:)|(?:urlopen|requests\.get)\([^\n]{0,200}\)[^\n]{0,40}\|\s*(?:python|sh|bash)|(?:fetch|urlopen|requests\.get|https?\.get)\s*\([^\n]{0,300}(?:\.then\(\s*eval\s*\)|\beval\s*\(|new\s+Function\s*\()|(?i:\b(?:iex|Invoke-Expression)\b[^\n]{0,300}(?:DownloadString|DownloadFile|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b|Net\.WebClient)|(?:DownloadString|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b)[^\n]{0,300}\|\s*(?:iex|Invoke-Expression)\b)", RegexOptions.NonBacktracking)]
    private static partial Regex RemoteExec();

    [GeneratedRegex(@"\bfetch\s*\(|requests\.(?:post|put)|urllib\.request|http\.request|https\.request|axios\.(?:post|put)|Net::HTTP\.post|urlopen|XMLHttpRequest|navigator\.sendBeacon|Invoke-RestMethod|Invoke-WebRequest|new\s+Image\(\s*\)\.src\s*=|\.src\s*=\s*['""`]https?:", RegexOptions.NonBacktracking)]
    private static partial Regex Sender();

    // The whole environment, not one variable: process.env) / JSON.stringify(process.env / dict(os.environ) / ENV.to_h;
    // in a browser page (an MCP browser tool's evaluate) the session's cookies and storage hold its tokens.
    [GeneratedRegex(@"document\.cookie|localStorage|sessionStorage|process\.env\s*[),}]|stringify\(\s*process\.env|os\.environ\s*[),}]|dict\(\s*os\.environ|os\.environ\.copy\(|ENV\.to_h|Deno\.env\.toObject\(|\$ENV\s*[),}]|Get-ChildItem\s+env:", RegexOptions.NonBacktracking)]
    private static partial Regex WholeEnvironment();

    [GeneratedRegex(@"'(?<s>[^'""\n]{0,1000})'|""(?<s>[^'""\n]{0,1000})""", RegexOptions.NonBacktracking)]
    private static partial Regex Literal();

    [GeneratedRegex(@"os\.path\.expanduser\(\s*['""]~['""]\s*\)|os\.environ\[['""]HOME['""]\]|os\.environ\.get\(['""]HOME['""]\)|os\.getenv\(['""]HOME['""]\)|Path\.home\(\)|os\.homedir\(\)|process\.env\.HOME|process\.env\[['""]HOME['""]\]|ENV\[['""]HOME['""]\]|\$ENV\{HOME\}|Dir\.home|getenv\(['""]HOME['""]\)|ENVIRON\[['""]HOME['""]\]|Deno\.env\.get\(['""]HOME['""]\)|\.homedir\(\)|Sys\.getenv\(['""]HOME['""]\)|path\.expand\(['""]~['""]\)|expanduser\(\s*['""]~['""]\s*\)", RegexOptions.NonBacktracking)]
    private static partial Regex HomeExpression();

    [GeneratedRegex(@"while\s*\(?\s*(?:True|true|1)\s*\)?\s*[:{]?\s*(?:os\.)?fork\s*\(|for\s*\(\s*;\s*;\s*\)\s*\{?\s*fork\s*\(|\bfork\s+while\s+1\b|\bfork\s+until\s+0\b|loop\s*\{\s*fork|\bfork\s*\(\s*\)\s*while\s*(?:1|true)", RegexOptions.NonBacktracking)]
    private static partial Regex ForkLoop();

    [GeneratedRegex(@"(?:os\.kill|process\.kill|Process\.kill|kill)\s*\(\s*(?:-1|['""]?-1['""]?)\s*,|os\.killpg\s*\(\s*0", RegexOptions.NonBacktracking)]
    private static partial Regex KillAll();
}
