using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

internal sealed class LeakedOrder(int id)
{
    public int Id { get; } = id;
    public string Code { get; } = "order-" + id.ToString(CultureInfo.InvariantCulture);
    public byte[] Payload { get; } = new byte[64];
}

/// <summary>The classic leak: a static collection that only ever grows.</summary>
internal static class OrderRegistry
{
    public static readonly List<LeakedOrder> s_orders = new();
}

internal sealed class StaticListScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
            OrderRegistry.s_orders.Add(new LeakedOrder(_nextId++));
    }
}
