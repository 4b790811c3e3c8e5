using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Graph;

internal sealed class ChainNode(int index, ChainNode? next)
{
    public int Index { get; } = index;
    public ChainNode? Next { get; } = next;
}

internal static class ChainHolder
{
    public static ChainNode? s_head;
}

/// <summary>
/// One singly linked list of M nodes: a graph whose depth equals its size, so any recursive
/// traversal overflows the stack while an iterative one does not.
/// </summary>
internal sealed class ChainScenario(int length) : IScenario
{
    public bool OneShot => true;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        ChainNode? head = null;
        for (int i = length - 1; i >= 0; i--)
            head = new ChainNode(i, head);
        ChainHolder.s_head = head;
    }
}
