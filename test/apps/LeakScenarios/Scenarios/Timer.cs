using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace HeapgateScenarios.Leaks;

internal sealed class TimerPayload(int id)
{
    public int Id { get; } = id;
    public byte[] Buffer { get; } = new byte[32];
    public int Ticks { get; private set; }

    /// <summary>The payload owns its timer, as components usually do.</summary>
    public Timer? Timer { get; set; }

    public void Tick() => Ticks++;
}

/// <summary>
/// Timers that are never disposed, whose callbacks are closures capturing a payload that owns the
/// timer. The runtime's timer queue roots each callback, the closure, the payload and through it the
/// Timer, so the timer's finalizer never runs. (A Timer nothing references at all is not a leak on
/// .NET Core: its finalizer closes it. The self-reference through the callback is what leaks.)
/// </summary>
internal sealed class TimerScenario(int perRound) : IScenario
{
    private static readonly TimeSpan LongPeriod = TimeSpan.FromHours(1);
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
            StartTimer(new TimerPayload(_nextId++));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartTimer(TimerPayload payload)
    {
        payload.Timer = new Timer(_ => payload.Tick(), null, LongPeriod, LongPeriod);
    }
}
