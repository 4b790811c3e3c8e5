using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Waste;

/// <summary>
/// One holder per unit of work, with collections created "just in case" and never filled, a
/// slot array that stays mostly empty, and two collections that are not waste (one used, one
/// created without storage).
/// </summary>
internal sealed class WasteHolder
{
    public readonly List<string> Tags = new(16);
    public readonly Dictionary<string, int> Index = new(4);
    public readonly HashSet<int> Seen = new(4);
    public readonly Queue<int> Pending = new(8);
    public readonly Stack<int> Undo = new(8);
    public readonly ConcurrentDictionary<int, int> Cache = new();
    /// <summary>32 slots, 2 used: 30 null references.</summary>
    public readonly object?[] Slots = new object?[32];
    /// <summary>Not waste: one element.</summary>
    public readonly List<int> Used = [1];
    /// <summary>Not waste: an empty list without storage of its own (the shared empty array).</summary>
    public readonly List<int> Lazy = new();

    public WasteHolder()
    {
        Slots[0] = this;
        Slots[1] = Used;
    }
}

internal static class WasteStore
{
    public static readonly List<WasteHolder> s_holders = new();
    /// <summary>Every other large buffer of each round: the ones between them leave free blocks on the LOH.</summary>
    public static readonly List<byte[]> s_large = new();
}

/// <summary>
/// Waste a full dump can show: K holders per round (each with six empty collections that have
/// storage, and a 32-slot array with 30 null slots), and 8 large 200,000-byte buffers per round
/// of which every other one is kept, so the large object heap (never compacted by default) keeps
/// free blocks between them.
/// </summary>
internal sealed class WasteScenario(int perRound) : IScenario
{
    public const int LargeBuffersPerRound = 8;
    public const int LargeBufferBytes = 200_000;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++) WasteStore.s_holders.Add(new WasteHolder());
        for (int i = 0; i < LargeBuffersPerRound; i++)
        {
            var buffer = new byte[LargeBufferBytes];
            if (i % 2 == 0) WasteStore.s_large.Add(buffer);
        }
    }
}
