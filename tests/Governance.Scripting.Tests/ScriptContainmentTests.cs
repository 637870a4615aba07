using Governance.Abstractions.Decisions;
using Governance.Abstractions.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Scripting.Tests;

/// <summary>APIs that could end, crash or stall the server are load errors with file, line and column, through the real loader.</summary>
public sealed class ScriptContainmentTests
{
    private const string Definition = "return new PersonaScript { Id = \"probe\", Name = \"Probe\", Evaluate = (op, ct) => Verdicts.Allow(0.99, \"ok\") };";

    private readonly RoslynScriptLoader _loader = new(NullLogger<RoslynScriptLoader>.Instance);

    // The refused statement is always on line 3.
    private static string Probe(string statement) => $"using System.IO; using System.Threading.Tasks;\nvar unused = 1;\n{statement}\n{Definition}\n";

    [Theory]
    [InlineData("Environment.Exit(1);", "`Environment.Exit` is not allowed in a script persona: it would end the governance server")]
    [InlineData("Environment.FailFast(\"bye\");", "`Environment.FailFast` is not allowed in a script persona: it would end the governance server")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");", "`Process.Start` is not allowed in a script persona: it would start or control another process")]
    [InlineData("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();", "`[DllImport]` is not allowed in a script persona: it calls native code")]
    [InlineData("[System.Runtime.InteropServices.LibraryImport(\"libc\")] static partial int getpid();", "`[LibraryImport]` is not allowed")]
    [InlineData("System.Runtime.InteropServices.Marshal.WriteInt32(IntPtr.Zero, 1);", "`Marshal.WriteInt32` is not allowed")]
    [InlineData("unsafe { int x = 1; int* p = &x; }", "`unsafe` is not allowed in a script persona: unsafe code can corrupt the governance server's memory")]
    [InlineData("Span<byte> buffer = stackalloc byte[16];", "`stackalloc` is not allowed in a script persona: stack allocation can overflow")]
    [InlineData("new Thread(() => { }).Start();", "`new Thread` is not allowed in a script persona: it runs code on other threads or timers, outside the persona's deadline")]
    [InlineData("System.Threading.Tasks.Task.Run(() => { });", "`Task.Run` is not allowed in a script persona: it runs code on other threads")]
    [InlineData("Task.Factory.StartNew(() => { });", "`Task.Factory` is not allowed")]
    [InlineData("var t = new Task(() => { });", "`new Task` is not allowed")]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { });", "`ThreadPool.QueueUserWorkItem` is not allowed")]
    [InlineData("var timer = new Timer(_ => { }, null, 0, 10);", "`new Timer` is not allowed")]
    [InlineData("Thread.Sleep(60000);", "`Thread.Sleep` is not allowed in a script persona: it blocks a thread the persona's deadline cannot release")]
    [InlineData("Task.Delay(60000).Wait();", "`Task.Wait` is not allowed in a script persona: it blocks a thread")]
    [InlineData("var r = Task.FromResult(1).Result;", "`Task.Result` is not allowed")]
    [InlineData("CancellationToken.None.Register(() => throw new Exception());", "`CancellationToken.Register` is not allowed")]
    [InlineData("System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(null!, System.Reflection.Emit.AssemblyBuilderAccess.Run);",
        "`AssemblyBuilder.DefineDynamicAssembly` is not allowed in a script persona: reflection reaches around the checks")]
    [InlineData("var type = Type.GetType(\"System.Diagnostics.Process\");", "`Type.GetType` is not allowed in a script persona: reflection")]
    [InlineData("typeof(Environment).GetMethod(\"Exit\")!.Invoke(null, [0]);", "`Type.GetMethod` is not allowed")]
    [InlineData("var o = Activator.CreateInstance(typeof(object));", "`Activator.CreateInstance` is not allowed")]
    [InlineData("var a = AppDomain.CurrentDomain;", "`AppDomain.CurrentDomain` is not allowed")]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/tmp/x.dll\");", "`AssemblyLoadContext.Default` is not allowed")]
    [InlineData("Func<int> f = () => 1; var m = f.Method;", "`Delegate.Method` is not allowed")]
    [InlineData("dynamic d = 1;", "`dynamic` is not allowed in a script persona: dynamic binds members at run time")]
    [InlineData("System.Linq.Expressions.Expression<Func<int>> e = () => 1;", "`Expression` is not allowed in a script persona: expression trees")]
    [InlineData("GC.Collect();", "`GC.Collect` is not allowed in a script persona: it would pause or tune the garbage collector")]
    [InlineData("Console.WriteLine(\"hi\");", "`Console.WriteLine` is not allowed in a script persona: stdin and stdout carry the MCP protocol")]
    [InlineData("var n = Regex.IsMatch(\"aaa\", \"(a+)+$\");", "`Regex.IsMatch` is not allowed in a script persona: a regex must be built with RegexOptions.NonBacktracking")]
    [InlineData("var rx = new Regex(\"a+\", RegexOptions.IgnoreCase);", "`new Regex` is not allowed")]
    [InlineData("class Leaky { ~Leaky() { } }", "`~Leaky()` is not allowed in a script persona: a finalizer runs on the runtime's finalizer thread")]
    [InlineData("async void Fire() { await Task.Yield(); }", "`async void` is not allowed in a script persona: an exception in async void code ends the governance server")]
    [InlineData("Action a = async () => await Task.Yield();", "`async void` is not allowed")]
    [InlineData("var cache = new ScriptImageCache(\"/tmp\");", "`new ScriptImageCache` is not allowed in a script persona: it reaches into the governance server's internals")]
    [InlineData("var xml = System.Xml.Linq.XDocument.Load(\"/etc/passwd\");", "`XDocument.Load` is not allowed in a script persona: it reads files and URLs")]
    public async Task LoadPersona_ForbiddenApi_LoadErrorWithFileLineAndReason(string statement, string expected)
    {
        var result = await _loader.LoadPersonaAsync("/pack/personas/probe.csx", "personas/probe.csx", Probe(statement), CancellationToken.None);

        Assert.Null(result.Persona);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(("personas/probe.csx", 3), (error.File, error.Line));
        Assert.True(error.Column > 0);
    }

    [Theory]
    [InlineData("using static System.Environment;\nExit(1);", 2, "`Environment.Exit` is not allowed")]
    [InlineData("using E = System.Environment;\nE.Exit(1);", 2, "`Environment.Exit` is not allowed")]
    [InlineData("#r \"System.Net.Http\"\nvar x = 1;", 1, "`#r` is not allowed in a script persona: a script uses only the assemblies the governance server gives it")]
    [InlineData("#load \"/etc/other.csx\"\nvar x = 1;", 1, "`#load` is not allowed")]
    public async Task LoadPersona_ForbiddenApiUnderAnotherName_StillRefused(string prologue, int line, string expected)
    {
        var result = await _loader.LoadPersonaAsync("/pack/personas/probe.csx", "personas/probe.csx", prologue + "\n" + Definition, CancellationToken.None);

        Assert.Null(result.Persona);
        Assert.Contains(result.Errors, e => e.Line == line && e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var text = File.ReadAllText(\"/etc/hostname\");", ScriptCapabilities.FileIo, "`File.ReadAllText` is not allowed in a script persona: file I/O is off unless governance.scripts.allow lists file_io")]
    [InlineData("var reader = new System.IO.StreamReader(\"/etc/hostname\");", ScriptCapabilities.FileIo, "`new StreamReader` is not allowed in a script persona: file I/O is off")]
    [InlineData("var exists = Directory.Exists(\"/\");", ScriptCapabilities.FileIo, "`Directory.Exists` is not allowed in a script persona: file I/O is off")]
    [InlineData("var client = new System.Net.Http.HttpClient();", ScriptCapabilities.Network, "`new HttpClient` is not allowed in a script persona: network I/O is off unless governance.scripts.allow lists network")]
    [InlineData("var host = System.Net.Dns.GetHostName();", ScriptCapabilities.Network, "`Dns.GetHostName` is not allowed")]
    [InlineData("var socket = new System.Net.Sockets.TcpClient();", ScriptCapabilities.Network, "`new TcpClient` is not allowed")]
    public async Task LoadPersona_IoWithoutGrant_RefusedAndWithGrant_Loads(string statement, ScriptCapabilities grant, string expected)
    {
        var text = Probe(statement);

        var refused = await _loader.LoadPersonaAsync("/pack/personas/probe.csx", "personas/probe.csx", text, ScriptCapabilities.None, CancellationToken.None);
        var otherGrant = await _loader.LoadPersonaAsync("/pack/personas/probe.csx", "personas/probe.csx", text,
            grant == ScriptCapabilities.FileIo ? ScriptCapabilities.Network : ScriptCapabilities.FileIo, CancellationToken.None);
        var granted = await _loader.LoadPersonaAsync("/pack/personas/probe.csx", "personas/probe.csx", text, grant, CancellationToken.None);

        var error = Assert.Single(refused.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(otherGrant.Persona);
        Assert.Empty(granted.Errors);
        Assert.NotNull(granted.Persona);
        Assert.NotEqual(refused.ContentHash, granted.ContentHash); // the grants are part of the compiled image's key
    }

    [Fact]
    public async Task LoadPlugin_ForbiddenApi_ErrorSaysPlugin()
    {
        var text = "Environment.Exit(3);\nreturn new PluginScript { Id = \"quitter\", Check = (op, ct) => [] };";

        var result = await _loader.LoadPluginAsync("/pack/plugins/quitter.csx", "plugins/quitter.csx", text, CancellationToken.None);

        Assert.Contains(result.Errors, e => e.Line == 1 && e.Message.StartsWith("`Environment.Exit` is not allowed in a plugin: it would end the governance server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadPersona_EverydayCode_CompilesWithBudgetChecksAndBehavesTheSame()
    {
        // Loops, goto, iterators, recursion, records, classes with initializers, expression-bodied members of every
        // kind, async local functions, query syntax, and the allowed neighbours of refused APIs (Console.Error, Path,
        // Stopwatch, nameof, Task.Delay, NonBacktracking regexes): the budget rewriter must keep all of them compiling and meaning the same.
        var text = """
            using System.Diagnostics; using System.IO; using System.Threading.Tasks;
            record Pair(string Key, int Value) { public string Show() => $"{Key}={Value}"; }
            record struct Point(int X, int Y);
            class Counter { private int _n = 2; public int Next => ++_n; public int this[int i] => i * _n; public static Counter operator +(Counter c, int k) { c._n += k; return c; } public static implicit operator int(Counter c) => c._n; }
            static class Helpers { public static int Twice(int x) => x * 2; }
            static IEnumerable<int> Evens(int max) { for (var i = 0; i <= max; i += 2) yield return i; }
            static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
            static void Nothing() => _ = 0;
            async Task<int> LaterAsync() { await Task.Delay(1); return 5; }
            int Jumps() { var k = 0; again: k++; if (k < 4) goto again; return k; }
            var total = 0;
            foreach (var (key, value) in new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }) total += value;
            var j = 0; while (j < 3) j++; do { j++; } while (j < 5);
            var query = (from e in Evens(10) where e > 2 let sq = e * e orderby sq descending select new Pair(e.ToString(), sq)).ToList();
            var counter = new Counter() + 1;
            Func<int, int> square = x => x * x; Action nothing = () => Nothing(); nothing();
            Console.Error.Write("");
            var stopwatch = Stopwatch.StartNew();
            var name = nameof(File.ReadAllText) + Path.GetFileName("/a/b.txt");
            var later = await LaterAsync();
            var summary = string.Join(",", total, j, query.Count, query[0].Show(), counter.Next, counter[2], (int)counter, square(3), Fib(15),
                Jumps(), Helpers.Twice(21), new Point(1, 2).X, name, later, Regex.IsMatch("ab", "b$", RegexOptions.NonBacktracking));
            return new PersonaScript { Id = "everyday", Name = "Everyday", Evaluate = (op, ct) => Verdicts.Allow(0.99, summary) };
            """;

        var result = await _loader.LoadPersonaAsync("/pack/personas/everyday.csx", "personas/everyday.csx", text, CancellationToken.None);

        Assert.Empty(result.Errors);
        var verdict = await result.Persona!.EvaluateAsync(new Operation { Kind = OperationKinds.CommandExecution, Name = "Bash", Command = "ls" }, CancellationToken.None);
        Assert.Equal("3,5,4,10=100,4,8,4,9,610,4,42,1,ReadAllTextb.txt,5,True", verdict.Guidance);
    }

    [Fact]
    public async Task LoadShippedScripts_AllLoadUnderContainment()
    {
        var root = TestKit.RepoPaths.Root;
        var scripts = Directory.GetFiles(Path.Combine(root, "personas"), "*.csx").Select(p => (p, true))
            .Concat(Directory.GetFiles(Path.Combine(root, "plugins"), "*.csx").Select(p => (p, false)))
            .ToList();

        Assert.NotEmpty(scripts);
        foreach (var (path, persona) in scripts)
        {
            var display = Path.GetRelativePath(root, path).Replace('\\', '/');
            var text = await File.ReadAllTextAsync(path);
            var result = persona
                ? await _loader.LoadPersonaAsync(path, display, text, CancellationToken.None)
                : await _loader.LoadPluginAsync(path, display, text, CancellationToken.None);
            Assert.True(result.Errors.Count == 0, $"{display}: {string.Join("; ", result.Errors)}");
        }
    }
}
