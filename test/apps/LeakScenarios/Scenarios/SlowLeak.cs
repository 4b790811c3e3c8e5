using System.Collections.Generic;
using System.Runtime.CompilerServices;
using HeapgateScenarios.Steady;

namespace HeapgateScenarios.Leaks;

internal sealed class SlowLeakItem(int id)
{
    public int Id { get; } = id;
    public byte[] State { get; } = new byte[16];
}

internal static class SlowLeakRegistry
{
    public static readonly List<SlowLeakItem> s_items = new();
}

/// <summary>The steady workload plus a few leaked objects per round: the leak a soak run must catch.</summary>
internal sealed class SlowLeakScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        Garbage.Churn(orders: 20_000);
        for (int i = 0; i < perRound; i++)
            SlowLeakRegistry.s_items.Add(new SlowLeakItem(_nextId++));
    }
}
