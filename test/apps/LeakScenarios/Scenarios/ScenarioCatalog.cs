using System.Collections.Generic;

namespace HeapgateScenarios;

internal static class ScenarioCatalog
{
    public static readonly IReadOnlyList<string> Names =
        ["steady", "static-list", "event-handler", "timer", "cache", "slow-leak", "quote-history", "outbox", "thread-static", "handle-leak", "duplicate-strings", "finalizer-backlog", "waste", "big", "chain", "events"];

    public static IScenario? Create(ScenarioOptions o) => o.Name switch
    {
        "steady" => new Steady.SteadyScenario(),
        "static-list" => new Leaks.StaticListScenario(o.PerRound ?? 1000),
        "event-handler" => new Leaks.EventHandlerScenario(o.PerRound ?? 1000),
        "timer" => new Leaks.TimerScenario(o.PerRound ?? 1000),
        "cache" => new Leaks.CacheScenario(o.PerRound ?? 1000),
        "slow-leak" => new Leaks.SlowLeakScenario(o.PerRound ?? 3),
        "quote-history" => new Leaks.QuoteHistoryScenario(o.PerRound ?? 1000),
        "outbox" => new Leaks.OutboxScenario(o.PerRound ?? 100_000),
        "thread-static" => new Leaks.ThreadStaticScenario(o.PerRound ?? 1000),
        "handle-leak" => new Leaks.HandleLeakScenario(o.PerRound ?? 1000),
        "duplicate-strings" => new Leaks.DuplicateStringsScenario(o.PerRound ?? 1000),
        "finalizer-backlog" => new Leaks.FinalizerBacklogScenario(o.PerRound ?? 1000),
        "waste" => new Waste.WasteScenario(o.PerRound ?? 1000),
        "big" => new Big.BigScenario(o.Objects ?? 5_000_000),
        "chain" => new Graph.ChainScenario(o.Objects ?? 1_000_000),
        "events" => new Events.EventsScenario(o.PerRound ?? 1_000_000),
        _ => null,
    };
}
