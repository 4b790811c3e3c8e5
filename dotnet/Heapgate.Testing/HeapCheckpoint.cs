using System;
using System.Threading;
using System.Threading.Tasks;

namespace Heapgate.Testing;

/// <summary>
/// A heap snapshot of the test host taken at a named point of a test: every live object after a
/// full, blocking GC. Compare checkpoints, or check one, with <see cref="HeapAssert"/>.
/// </summary>
/// <example>
/// <code>
/// var before = await HeapCheckpoint.TakeAsync("before-login");
/// await client.PostAsync("/login", body);
/// var after = await HeapCheckpoint.TakeAsync("after-login");
/// await HeapAssert.NoGrowthAsync&lt;UserSession&gt;(before, after);
/// </code>
/// </example>
public sealed class HeapCheckpoint
{
    internal HeapCheckpoint(string name, string id, string file, long objects, long bytes, TimeSpan collectTime, string? test)
    {
        Name = name;
        Id = id;
        File = file;
        Objects = objects;
        Bytes = bytes;
        CollectTime = collectTime;
        Test = test;
    }

    /// <summary>The name the test gave this point.</summary>
    public string Name { get; }

    /// <summary>How heapgate refers to it: a checkpoint id under <c>heapgate test</c>, else the snapshot file.</summary>
    internal string Id { get; }

    /// <summary>The .gcdump file of this checkpoint.</summary>
    public string File { get; }

    /// <summary>Live objects in the snapshot (0 when heapgate did not read it yet).</summary>
    public long Objects { get; }

    /// <summary>Live bytes in the snapshot (0 when heapgate did not read it yet).</summary>
    public long Bytes { get; }

    /// <summary>How long the checkpoint took: collecting the snapshot and heapgate reading it.</summary>
    public TimeSpan CollectTime { get; }

    /// <summary>The test that took it, when the test framework says.</summary>
    public string? Test { get; }

    /// <summary>
    /// Takes a checkpoint of this process: through <c>heapgate test</c> when it runs the tests,
    /// else with dotnet-gcdump directly. When neither is available the test is skipped (xUnit,
    /// NUnit) or inconclusive (MSTest) with the reason — never passed silently — unless
    /// <c>HEAPGATE_REQUIRED=1</c>, which makes it fail.
    /// </summary>
    public static async Task<HeapCheckpoint> TakeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var backend = Backends.Current();
        return await backend.CheckpointAsync(name, TestFrameworks.CurrentTestName(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({File})";
}
