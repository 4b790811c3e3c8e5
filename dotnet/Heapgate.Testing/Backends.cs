using System;
using System.Threading;
using System.Threading.Tasks;

namespace Heapgate.Testing;

/// <summary>How checkpoints are collected and assertions judged.</summary>
internal interface IHeapgateBackend
{
    Task<HeapCheckpoint> CheckpointAsync(string name, string? test, CancellationToken cancellationToken);

    Task<AssertionOutcome> AssertAsync(AssertionSpec spec, HeapCheckpoint? from, HeapCheckpoint to, string? test, string description, CancellationToken cancellationToken);
}

/// <summary>
/// Chooses the backend once per process: the channel of <c>heapgate test</c> when it runs the
/// tests, else dotnet-gcdump and the heapgate CLI found on this machine, else none (with the reason).
/// </summary>
internal static class Backends
{
    private static readonly object Gate = new();
    private static IHeapgateBackend? _current;

    public static IHeapgateBackend Current()
    {
        lock (Gate)
        {
            return _current ??= Choose();
        }
    }

    private static IHeapgateBackend Choose()
    {
        string? channel = Environment.GetEnvironmentVariable(Protocol.ChannelEnv);
        if (!string.IsNullOrEmpty(channel)) return new ChannelBackend(channel);
        var gcdump = ToolLocator.DotnetGcdump();
        var cli = ToolLocator.HeapgateCli();
        if (gcdump is not null && cli is { } found) return new StandaloneBackend(gcdump, found, OutputDirectory());
        string missing = gcdump is null && cli is null
            ? "neither dotnet-gcdump nor the heapgate CLI was found"
            : gcdump is null ? "dotnet-gcdump was not found" : "the heapgate CLI was not found";
        return new UnavailableBackend(
            $"heapgate memory checks need heapgate: run the tests under `heapgate test -- dotnet test …`, or install dotnet-gcdump " +
            $"(dotnet tool install -g dotnet-gcdump) and the heapgate CLI (npm install -g heapgate; or set HEAPGATE_CLI); {missing}.");
    }

    internal static string OutputDirectory() =>
        Environment.GetEnvironmentVariable(Protocol.OutDirEnv) is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(AppContext.BaseDirectory, "heapgate-test");
}

/// <summary>No way to collect: every checkpoint skips the test with the reason (or fails it when HEAPGATE_REQUIRED=1).</summary>
internal sealed class UnavailableBackend(string reason) : IHeapgateBackend
{
    public Task<HeapCheckpoint> CheckpointAsync(string name, string? test, CancellationToken cancellationToken) =>
        throw TestFrameworks.Unavailable(reason);

    public Task<AssertionOutcome> AssertAsync(AssertionSpec spec, HeapCheckpoint? from, HeapCheckpoint to, string? test, string description, CancellationToken cancellationToken) =>
        throw TestFrameworks.Unavailable(reason);
}
