using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Events;

/// <summary>A small EventSource: one event kind with two integers.</summary>
[EventSource(Name = "Heapgate-Scenarios")]
internal sealed class ScenarioEvents : EventSource
{
    public static readonly ScenarioEvents Log = new();

    [Event(1, Level = EventLevel.Informational)]
    public void Item(int id, long value) => WriteEvent(1, id, value);
}

/// <summary>
/// Writes K events per round to the Heapgate-Scenarios EventSource (when a trace listens), and
/// allocates a little alongside: a trace with many events, for timing trace readers.
/// </summary>
internal sealed class EventsScenario(int perRound) : IScenario
{
    private int _next;
    private static object? s_last;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
        {
            ScenarioEvents.Log.Item(_next, _next * 7L);
            s_last = new byte[32];
            _next++;
        }
        s_last = null;
    }
}
