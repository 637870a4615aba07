using System.Text.RegularExpressions;
using Governance.Abstractions.Analysis;
using Governance.Analysis.Commands;
using Governance.Analysis.Shell;
using static Governance.Analysis.Commands.CommandArguments;

namespace Governance.Analysis.Effects;

/// <summary>Uploads of local data, downloads fed to a shell, downloaded files then executed. Needs the whole command list (pipelines).</summary>
internal static partial class NetworkEffects
{
    private static readonly HashSet<string> Fetchers = new(StringComparer.Ordinal)
    {
        "curl", "wget", "fetch", "http", "https", "xh", "aria2c", "iwr", "Invoke-WebRequest", "irm", "Invoke-RestMethod", "lwp-download", "GET", "lynx", "links",
    };

    private static readonly HashSet<string> Executors = new(StringComparer.Ordinal)
    {
        "sh", "bash", "zsh", "dash", "ksh", "fish", "ash", "busybox", "python", "python2", "python3", "node", "nodejs", "perl", "ruby", "php", "pwsh", "powershell",
        "iex", "Invoke-Expression", "deno", "bun", "source", ".", "eval", "lua", "osascript", "tclsh",
    };

    private static readonly HashSet<string> Senders = new(StringComparer.Ordinal) { "nc", "ncat", "netcat", "socat", "telnet", "ssh", "openssl", "curl", "wget", "sendmail", "mail", "mailx" };

    private static readonly HashSet<string> CurlFileOptions = new(StringComparer.Ordinal)
    {
        "-d", "--data", "--data-binary", "--data-ascii", "--data-urlencode", "--json", "-F", "--form", "--form-string",
    };

    private static readonly HashSet<string> EnvironmentDumpers = new(StringComparer.Ordinal) { "env", "printenv", "set", "export", "declare" };

    public static bool IsRemotePath(string operand) =>
        !operand.StartsWith('/') && !operand.StartsWith('.') && !operand.StartsWith('~') && RemotePath().IsMatch(operand);

    public static void Collect(IReadOnlyList<ExecutedCommand> commands, IReadOnlyList<OperationEffect> fileEffects, Func<ExecutedCommand, string> textOf, EffectBuilder effects)
    {
        var downloaded = new List<PathTarget>();
        for (var index = 0; index < commands.Count; index++)
        {
            var command = commands[index];
            var text = textOf(command);
            var name = command.Name;

            if (Executors.Contains(name) && command.StdinFrom is { } stdin && stdin.StartsWith("pipe:", StringComparison.Ordinal) && FetchedEarlier(commands, index) is { } fetcher)
            {
                effects.Add(EffectKinds.PipeToShell, text, null, fetcher + " | " + name);
            }
            else if (Executors.Contains(name) && (command.Arguments.Any(FetchInline) || command.InlineCode is { } code && FetchInline(code)))
            {
                effects.Add(EffectKinds.PipeToShell, text, null, "fetched code run by " + name);
            }

            if (name == "curl")
            {
                Curl(command, commands, fileEffects, textOf, text, effects);
            }
            else if (name == "wget" && (Value(command.Arguments, null, "--post-file") ?? Value(command.Arguments, null, "--body-file")) is { } posted)
            {
                effects.Add(EffectKinds.Upload, text, [effects.Path(posted)], HostOf(command.Arguments), FileEffects.Flags(IsLocal(command.Arguments) ? "local" : null));
            }
            else if (name is "scp" or "rsync" or "sftp" && !(name == "rsync" && command.Arguments.Any(a => a == "--dry-run" || a.Length > 1 && a[0] == '-' && a[1] != '-' && a.Contains('n'))))
            {
                var operands = Operands(command.Arguments, ["-P", "-i", "-e", "-o", "-F", "-l", "-c", "--rsh", "-p"]);
                if (operands.Count >= 2 && IsRemotePath(operands[^1]) && !IsRemotePath(operands[0]))
                {
                    effects.Add(EffectKinds.Upload, text, effects.Paths(operands.Take(operands.Count - 1)), operands[^1].Split(':')[0]);
                }
            }
            else if (CloudUpload(name, command.Arguments) is { } cloud)
            {
                // gh gist create .env, aws s3 cp ~/.aws/credentials s3://…, gsutil cp, rclone copy: files leave the machine.
                effects.Add(EffectKinds.Upload, text, effects.Paths(cloud.Files), cloud.Destination);
            }
            else if (Senders.Contains(name) && name is not ("curl" or "wget"))
            {
                Stream(command, commands, fileEffects, textOf, text, effects);
            }

            // Files fetched earlier in the same command line and now run or made executable.
            if (name is "curl" or "wget")
            {
                downloaded.AddRange(Downloads(command, effects));
            }
            else if (downloaded.Count > 0 && RunsDownloaded(command, downloaded, effects))
            {
                effects.Add(EffectKinds.RunDownloaded, text, downloaded.ToArray(), string.Join(' ', downloaded.Select(d => d.Raw)));
            }
        }
    }

    // The producer of a pipe may sit in a subshell or hide behind a variable ("C=curl; $C url | sh"): any fetch before
    // a shell that reads a pipe counts.
    private static string? FetchedEarlier(IReadOnlyList<ExecutedCommand> commands, int index)
    {
        for (var k = index - 1; k >= 0; k--)
        {
            if (Fetchers.Contains(commands[k].Name))
            {
                return commands[k].Name;
            }
        }
        return null;
    }

    private static void Curl(ExecutedCommand command, IReadOnlyList<ExecutedCommand> commands, IReadOnlyList<OperationEffect> fileEffects, Func<ExecutedCommand, string> textOf, string text, EffectBuilder effects)
    {
        var args = command.Arguments;
        var files = new List<PathTarget>();
        var fromStdin = false;
        foreach (var value in Values(args, CurlFileOptions))
        {
            var at = value.IndexOf('@');
            var lt = value.IndexOf("=<", StringComparison.Ordinal);
            var file = at >= 0 && (at == 0 || value[at - 1] == '=') ? value[(at + 1)..] : lt >= 0 ? value[(lt + 2)..] : null;
            file = file?.Split(';')[0];
            if (file == "-")
            {
                fromStdin = true;
            }
            else if (file is { Length: > 0 })
            {
                files.Add(effects.Path(file));
            }
        }
        var upload = Value(args, "-T", "--upload-file");
        if (upload is "-" or ".")
        {
            fromStdin = true;
        }
        else if (upload is { Length: > 0 })
        {
            files.Add(effects.Path(upload));
        }
        var environment = args.Any(a => EnvironmentSubstitution().IsMatch(a));
        foreach (var arg in args)
        {
            foreach (Match match in CatSubstitution().Matches(arg))
            {
                files.Add(effects.Path(match.Groups[1].Value.Trim()));
            }
        }
        if (fromStdin)
        {
            environment |= PipelineSources(command, commands, fileEffects, files);
        }
        if (files.Count > 0 || fromStdin || environment)
        {
            effects.Add(EffectKinds.Upload, text, files, HostOf(args), FileEffects.Flags(fromStdin ? "stdin" : null, environment ? "environment" : null, IsLocal(args) ? "local" : null));
        }
    }

    private static void Stream(ExecutedCommand command, IReadOnlyList<ExecutedCommand> commands, IReadOnlyList<OperationEffect> fileEffects, Func<ExecutedCommand, string> textOf, string text, EffectBuilder effects)
    {
        var files = new List<PathTarget>();
        foreach (var redirection in command.Redirections)
        {
            if (redirection.Operator == "<")
            {
                files.Add(effects.Path(redirection.Target));
            }
        }
        var piped = command.StdinFrom?.StartsWith("pipe:", StringComparison.Ordinal) == true;
        var environment = piped && PipelineSources(command, commands, fileEffects, files);
        if (command.Name == "ssh" && files.Count == 0 && !piped)
        {
            return;
        }
        if (files.Count > 0 || piped)
        {
            effects.Add(EffectKinds.Upload, text, files, HostOf(command.Arguments), FileEffects.Flags(piped ? "stdin" : null, environment ? "environment" : null, IsLocal(command.Arguments) ? "local" : null));
        }
    }

    // What the earlier stages of the sender's pipeline read: "cat ~/.ssh/id_rsa | nc host 9000", "env | curl --data-binary @- ...".
    private static bool PipelineSources(ExecutedCommand sender, IReadOnlyList<ExecutedCommand> commands, IReadOnlyList<OperationEffect> fileEffects, List<PathTarget> files)
    {
        var environment = false;
        foreach (var other in commands)
        {
            if (other.Pipeline != sender.Pipeline || other.Stage >= sender.Stage || sender.Pipeline < 0)
            {
                continue;
            }
            environment |= EnvironmentDumpers.Contains(other.Name) && other.Arguments.Count == 0;
            var text = other.ToString();
            foreach (var effect in fileEffects)
            {
                if (effect.Kind is EffectKinds.Read && effect.Command == text)
                {
                    files.AddRange(effect.Targets);
                }
            }
        }
        return environment;
    }

    private static IEnumerable<PathTarget> Downloads(ExecutedCommand command, EffectBuilder effects)
    {
        var args = command.Arguments;
        var output = command.Name == "curl" ? Value(args, "-o", "--output") : Value(args, "-O", "--output-document");
        if (output is null && (command.Name == "wget" || HasShort(args, 'O') || HasLong(args, "--remote-name")))
        {
            var url = args.LastOrDefault(a => a.Contains("://", StringComparison.Ordinal));
            output = url is null ? null : url[(url.LastIndexOf('/') + 1)..].Split('?')[0];
        }
        foreach (var redirection in command.Redirections)
        {
            if (redirection.Operator is ">" or ">>")
            {
                output = redirection.Target;
            }
        }
        if (output is { Length: > 0 } && output != "-")
        {
            yield return effects.Path(output);
        }
    }

    private static bool RunsDownloaded(ExecutedCommand command, List<PathTarget> downloaded, EffectBuilder effects)
    {
        bool IsDownloaded(string word)
        {
            if (word.Length == 0 || word.StartsWith('-'))
            {
                return false;
            }
            var path = effects.Path(word).Path;
            return downloaded.Any(d => d.Path == path);
        }
        // argv[0] arrives as a basename ("./install.sh" as "install.sh"): compare it as a file in the working directory.
        if (IsDownloaded("./" + command.Name) && command.Name.Length > 0)
        {
            return true;
        }
        if (Executors.Contains(command.Name) && command.Arguments.Count > 0 && IsDownloaded(Operands(command.Arguments).FirstOrDefault() ?? ""))
        {
            return true;
        }
        return command.Name == "chmod" && command.Arguments.Any(a => a.Contains("+x", StringComparison.Ordinal) || a is "755" or "700" or "775" or "777") &&
               command.Arguments.Any(IsDownloaded);
    }

    private static (List<string> Files, string Destination)? CloudUpload(string name, IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "--dry-run" or "--dryrun" || name is "rclone" or "gsutil" && a is "-n"))
        {
            return null; // a dry run lists what would be copied and sends nothing
        }
        var operands = args.Where(a => !a.StartsWith('-')).ToList();
        switch (name)
        {
            case "gh" when operands is ["gist", "create", .. var files] && files.Count > 0:
                return (files, "gist.github.com");
            case "gh" when operands is ["release", "upload", _, .. var assets] && assets.Count > 0:
                return (assets, "github.com");
            case "aws" when operands is ["s3", "cp" or "mv" or "sync", var from, var to, ..] && to.StartsWith("s3://", StringComparison.Ordinal) && !from.StartsWith("s3://", StringComparison.Ordinal):
                return ([from], to.Split('/')[2]);
            case "gsutil" when operands is ["cp" or "mv" or "rsync", var from, var to] && to.StartsWith("gs://", StringComparison.Ordinal) && !from.StartsWith("gs://", StringComparison.Ordinal):
                return ([from], to.Split('/')[2]);
            case "gcloud" when operands is ["storage", "cp", var from, var to] && to.StartsWith("gs://", StringComparison.Ordinal) && !from.StartsWith("gs://", StringComparison.Ordinal):
                return ([from], to.Split('/')[2]);
            case "rclone" when operands is ["copy" or "copyto" or "move" or "sync", var from, var to] && to.Contains(':') && !from.Contains(':'):
                return ([from], to.Split(':')[0]);
            default:
                return null;
        }
    }

    private static bool FetchInline(string text) =>
        text.Length < 64 * 1024 && FetchSubstitution().IsMatch(text);

    private static string HostOf(IReadOnlyList<string> args)
    {
        foreach (var arg in args)
        {
            var match = UrlHost().Match(arg);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }
        foreach (var arg in Operands(args))
        {
            if (arg.Contains('.') || arg.Contains('@'))
            {
                return arg.Split(':')[0];
            }
        }
        return "";
    }

    private static bool IsLocal(IReadOnlyList<string> args)
    {
        var host = HostOf(args);
        var at = host.LastIndexOf('@');
        host = at >= 0 ? host[(at + 1)..] : host;
        return host is "localhost" or "127.0.0.1" or "::1" or "[::1]" or "0.0.0.0" || host.StartsWith("127.", StringComparison.Ordinal) || host.EndsWith(".localhost", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?:[\w.-]+@)?[\w.-]+:(?:[^/]|/[^/]|/?$)", RegexOptions.NonBacktracking)]
    private static partial Regex RemotePath();

    [GeneratedRegex(@"(?:\$\(|`|<\()\s*(?:curl|wget|fetch|iwr|http|xh)\b", RegexOptions.NonBacktracking)]
    private static partial Regex FetchSubstitution();

    [GeneratedRegex(@"\$\(\s*(?:env|printenv|set)\s*\)|`\s*(?:env|printenv)\s*`", RegexOptions.NonBacktracking)]
    private static partial Regex EnvironmentSubstitution();

    [GeneratedRegex(@"(?:\$\(|`)\s*(?:cat|base64|head|tail|xxd|gzip\s+-c|tar\s+c\w*\s+-)\s+([^)`|;&]+)", RegexOptions.NonBacktracking)]
    private static partial Regex CatSubstitution();

    [GeneratedRegex(@"^(?:[a-z]+://)(?:[^/@\s]+@)?([A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\])(?::\d+)?(?:/|$)", RegexOptions.NonBacktracking)]
    private static partial Regex UrlHost();
}
