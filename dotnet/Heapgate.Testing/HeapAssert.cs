using System;
using System.Threading;
using System.Threading.Tasks;

namespace Heapgate.Testing;

/// <summary>
/// Memory assertions on <see cref="HeapCheckpoint"/>s, judged by heapgate's rules engine: each
/// method is one heapgate rule (named in its summary), so a test and a rules file agree. A failing
/// assertion fails the test with the count, the change and the first retention path or
/// accumulation point, and attaches heapgate's report and the snapshots to the test result.
/// </summary>
/// <remarks>
/// <para>A type is named by <c>typeof(T)</c> or by a string as in a rules file: an exact name
/// (<c>MyApp.OrderSession</c>), a glob (<c>MyApp.Orders.*</c>) or a regex (<c>/Session$/</c>).</para>
/// <para>A checkpoint sees the whole test host: run memory tests one at a time (xUnit: a
/// collection with <c>DisableParallelization = true</c>; NUnit and MSTest run tests sequentially
/// unless told otherwise).</para>
/// </remarks>
public static class HeapAssert
{
    /// <summary>No live instance of <typeparamref name="T"/> at <paramref name="at"/> (<c>max-count: 0</c>).</summary>
    public static Task NoInstancesAsync<T>(HeapCheckpoint at, CancellationToken cancellationToken = default) =>
        AtMostAsync(NameOf(typeof(T)), 0, at, cancellationToken);

    /// <summary>No live instance of the matched types at <paramref name="at"/> (<c>max-count: 0</c>).</summary>
    public static Task NoInstancesAsync(string match, HeapCheckpoint at, CancellationToken cancellationToken = default) =>
        AtMostAsync(match, 0, at, cancellationToken);

    /// <summary>At most <paramref name="max"/> live instances of <typeparamref name="T"/> (<c>max-count</c>).</summary>
    public static Task AtMostAsync<T>(long max, HeapCheckpoint at, CancellationToken cancellationToken = default) =>
        AtMostAsync(NameOf(typeof(T)), max, at, cancellationToken);

    /// <summary>At most <paramref name="max"/> live instances of each matched type (<c>max-count</c>).</summary>
    public static Task AtMostAsync(string match, long max, HeapCheckpoint at, CancellationToken cancellationToken = default) =>
        RunAsync(new AssertionSpec("max-count") { Match = Check(match), Max = NonNegative(max, nameof(max)) }, null, at,
            max == 0 ? $"expected no {match} at '{at.Name}'" : $"expected at most {max:N0} {match} at '{at.Name}'", cancellationToken);

    /// <summary>At most <paramref name="maxBytes"/> live bytes of each matched type (<c>max-bytes</c>).</summary>
    public static Task MaxBytesAsync(string match, long maxBytes, HeapCheckpoint at, CancellationToken cancellationToken = default) =>
        RunAsync(new AssertionSpec("max-bytes") { Match = Check(match), Max = NonNegative(maxBytes, nameof(maxBytes)) }, null, at,
            $"expected at most {maxBytes:N0} bytes of {match} at '{at.Name}'", cancellationToken);

    /// <summary>
    /// <typeparamref name="T"/> grows by at most <paramref name="tolerance"/> instances from
    /// <paramref name="from"/> to <paramref name="to"/> (<c>max-growth: {count: tolerance}</c>).
    /// </summary>
    public static Task NoGrowthAsync<T>(HeapCheckpoint from, HeapCheckpoint to, long tolerance = 0, CancellationToken cancellationToken = default) =>
        NoGrowthAsync(NameOf(typeof(T)), from, to, tolerance, cancellationToken);

    /// <summary>Each matched type grows by at most <paramref name="tolerance"/> instances (<c>max-growth: {count: tolerance}</c>).</summary>
    public static Task NoGrowthAsync(string match, HeapCheckpoint from, HeapCheckpoint to, long tolerance = 0, CancellationToken cancellationToken = default) =>
        RunAsync(new AssertionSpec("max-growth") { Match = Check(match), Count = NonNegative(tolerance, nameof(tolerance)) }, Required(from), to,
            tolerance == 0 ? $"expected no growth of {match} from '{from.Name}' to '{to.Name}'"
                : $"expected {match} to grow by at most {tolerance:N0} from '{from.Name}' to '{to.Name}'", cancellationToken);

    /// <summary>The live heap grows by at most <paramref name="maxBytes"/> (<c>match: total, max-growth: {bytes}</c>).</summary>
    public static Task HeapGrowthWithinAsync(HeapCheckpoint from, HeapCheckpoint to, long maxBytes, CancellationToken cancellationToken = default) =>
        RunAsync(new AssertionSpec("heap-growth") { Bytes = NonNegative(maxBytes, nameof(maxBytes)) }, Required(from), to,
            $"expected the heap to grow by at most {maxBytes:N0} bytes from '{from.Name}' to '{to.Name}'", cancellationToken);

    /// <summary>Any heapgate rules (a rules file's YAML) on <paramref name="to"/>, against <paramref name="from"/> when given.</summary>
    public static Task RulesAsync(string rulesYaml, HeapCheckpoint to, HeapCheckpoint? from = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rulesYaml);
        return RunAsync(new AssertionSpec("rules") { Text = rulesYaml }, from, to,
            from is null ? $"expected heapgate rules to hold at '{to.Name}'" : $"expected heapgate rules to hold from '{from.Name}' to '{to.Name}'",
            cancellationToken);
    }

    /// <summary>
    /// A type's name as heapgate matches it: namespace, nesting and generic arguments as .NET
    /// reflection spells them; heapgate reads that spelling like a snapshot's.
    /// </summary>
    public static string NameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.FullName ?? type.Name;
    }

    private static async Task RunAsync(AssertionSpec spec, HeapCheckpoint? from, HeapCheckpoint to, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        var backend = Backends.Current();
        string? test = TestFrameworks.CurrentTestName();
        AssertionOutcome outcome = await backend.AssertAsync(spec, from, to, test, description, cancellationToken).ConfigureAwait(false);
        if (outcome.Passed) return;
        if (outcome.Report is not null) TestFrameworks.Attach(outcome.Report, "heapgate check report (JSON)");
        foreach (string snapshot in outcome.Snapshots) TestFrameworks.Attach(snapshot, "heap snapshot (.gcdump)");
        string files = outcome.Report is null ? "" : $"\nheapgate report: {outcome.Report}";
        if (outcome.Snapshots.Count > 0) files += $"\nsnapshots: {string.Join(", ", outcome.Snapshots)}";
        throw TestFrameworks.Failure(outcome.Message + files, outcome);
    }

    private static string Check(string match)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(match);
        return match;
    }

    private static long NonNegative(long value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "must be 0 or more");

    private static HeapCheckpoint Required(HeapCheckpoint from) => from ?? throw new ArgumentNullException(nameof(from));
}
