using System.Globalization;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Steady;

internal sealed class WorkItem(int slot, string name)
{
    public int Slot { get; } = slot;
    public string Name { get; } = name;
}

/// <summary>A small fixed-size working set that each round replaces (never grows).</summary>
internal static class WorkingSet
{
    public const int Size = 64;
    public static WorkItem[] s_items = [];
}

/// <summary>A clean service: lots of short-lived garbage, a constant live working set.</summary>
internal sealed class SteadyScenario : IScenario
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        Garbage.Churn(orders: 20_000);
        var items = new WorkItem[WorkingSet.Size];
        for (int i = 0; i < items.Length; i++)
            items[i] = new WorkItem(i, "work-item-" + i.ToString(CultureInfo.InvariantCulture));
        WorkingSet.s_items = items;
    }
}
