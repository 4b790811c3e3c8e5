using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

internal sealed class ThreadLeakedItem(int id)
{
    public int Id { get; } = id;
    public byte[] Payload { get; } = new byte[32];
}

/// <summary>A per-thread cache that only ever grows, on a thread that lives as long as the process.</summary>
internal static class ThreadLocalRegistry
{
    [ThreadStatic]
    public static List<ThreadLeakedItem>? t_items;
}

/// <summary>
/// The leak is held by a [ThreadStatic] field of the main thread (which runs every round and
/// waits at each checkpoint): on .NET 9+ such a field is rooted by the thread's own storage,
/// not by a handle.
/// </summary>
internal sealed class ThreadStaticScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        List<ThreadLeakedItem> items = ThreadLocalRegistry.t_items ??= new();
        for (int i = 0; i < perRound; i++)
            items.Add(new ThreadLeakedItem(_nextId++));
    }
}
