using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace HeapgateScenarios.Leaks;

/// <summary>A finalizer that never returns: the finalizer thread stops at the first one it runs.</summary>
internal sealed class StuckFinalizer
{
    public static readonly ManualResetEventSlim s_entered = new();

    ~StuckFinalizer()
    {
        s_entered.Set();
        Thread.Sleep(Timeout.Infinite);
    }
}

/// <summary>A resource released only by its finalizer, holding a 64-byte buffer until then.</summary>
internal sealed class PendingResource
{
    public readonly byte[] Buffer = new byte[64];

    ~PendingResource()
    {
        GC.KeepAlive(Buffer);
    }
}

/// <summary>
/// Finalizer backlog: before the first round one StuckFinalizer is dropped and collected, and its
/// finalizer blocks the finalizer thread for good; then every round drops K PendingResource
/// objects. The checkpoint's collections move them to the queue of objects ready for
/// finalization, where they stay (with their buffers): (1 + r) × K at round-r.
/// </summary>
internal sealed class FinalizerBacklogScenario(int perRound) : IScenario
{
    private bool _stuck;

    public bool BlocksFinalizers => true;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        if (!_stuck)
        {
            DropStuck();
            GC.Collect();
            if (!StuckFinalizer.s_entered.Wait(TimeSpan.FromSeconds(30)))
                throw new InvalidOperationException("the finalizer thread did not run StuckFinalizer's finalizer");
            _stuck = true;
        }
        DropResources(perRound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropStuck() => _ = new StuckFinalizer();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropResources(int n)
    {
        for (int i = 0; i < n; i++) _ = new PendingResource();
    }
}
