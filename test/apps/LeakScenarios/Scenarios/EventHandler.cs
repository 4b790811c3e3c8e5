using System;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

/// <summary>A long-lived publisher: its static event keeps every subscriber alive.</summary>
internal static class EventHub
{
    public static event EventHandler<decimal>? PriceChanged;

    public static void Publish(decimal price) => PriceChanged?.Invoke(null, price);
}

internal sealed class Subscriber(int id)
{
    public int Id { get; } = id;
    public decimal LastPrice { get; private set; }

    public void Subscribe() => EventHub.PriceChanged += OnPriceChanged;

    private void OnPriceChanged(object? sender, decimal price) => LastPrice = price;
}

/// <summary>Short-lived objects subscribe to a static event and never unsubscribe.</summary>
internal sealed class EventHandlerScenario(int perRound) : IScenario
{
    private int _nextId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < perRound; i++)
            new Subscriber(_nextId++).Subscribe();
    }
}
