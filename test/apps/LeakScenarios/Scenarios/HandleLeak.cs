using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HeapgateScenarios.Leaks;

internal sealed class HandleLeakedSession(int id)
{
    public int Id { get; } = id;
    public byte[] State { get; } = new byte[48];
}

/// <summary>
/// Native-interop style leak: every round allocates GC handles and never frees them. Each
/// session is held by a strong handle only, each 256-byte buffer by a pinned handle only; no
/// managed field refers to either.
/// </summary>
internal sealed class HandleLeakScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
        {
            GCHandle.Alloc(new HandleLeakedSession(_nextId++));
            GCHandle.Alloc(new byte[256], GCHandleType.Pinned);
        }
    }
}
