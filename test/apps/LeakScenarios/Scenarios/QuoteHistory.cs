using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace HeapgateScenarios.Leaks;

internal sealed class PriceQuote(int id, decimal price)
{
    public int Id { get; } = id;
    public decimal Price { get; } = price;
}

/// <summary>The current quote of every product: loaded once, never grows.</summary>
internal static class QuoteCatalog
{
    public static readonly List<PriceQuote> s_quotes = new();
}

/// <summary>Every quote ever served, kept "for auditing": the leak.</summary>
internal static class QuoteHistory
{
    public static readonly List<PriceQuote> s_served = new();
}

/// <summary>
/// One type held in two places: a fixed catalog of 10 x K quotes built before the first
/// checkpoint, and a history that gains K quotes per round. The catalog always holds more
/// instances; the history is where they are added.
/// </summary>
internal sealed class QuoteHistoryScenario : IScenario
{
    private readonly int _perRound;
    private int _nextId;

    public QuoteHistoryScenario(int perRound)
    {
        _perRound = perRound;
        Load(10 * perRound);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Load(int count)
    {
        for (int i = 0; i < count; i++)
            QuoteCatalog.s_quotes.Add(new PriceQuote(_nextId++, 1.5m));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public void RunRound()
    {
        for (int i = 0; i < _perRound; i++)
            QuoteHistory.s_served.Add(new PriceQuote(_nextId++, 2.5m));
    }
}
