using System;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace HeapgateScenarios.Leaks;

internal sealed class OutboxMessage(int id)
{
    public int Id { get; } = id;
    public long CreatedTicks { get; } = DateTime.UtcNow.Ticks;
}

/// <summary>An outbox written on every operation that nothing reads: an unbounded channel's backlog.</summary>
internal static class Outbox
{
    public static readonly Channel<OutboxMessage> s_channel = Channel.CreateUnbounded<OutboxMessage>();
}

/// <summary>
/// K messages per round into an unbounded channel without a reader. The channel's queue keeps them
/// in segments that double in size (32, 64, … slots), so its storage grows in steps.
/// </summary>
internal sealed class OutboxScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
            Outbox.s_channel.Writer.TryWrite(new OutboxMessage(_nextId++));
    }
}
