// LeakScenarios: a small .NET app with known heap behaviour, driven by heapgate's checkpoint protocol.
//
//   dotnet LeakScenarios.dll <scenario> [--rounds N] [--per-round K] [--objects M]
//
// Protocol (stdout lines, stdin commands):
//   heapgate:pid <pid>            first line
//   heapgate:checkpoint <label>   after a full blocking compacting GC; then one stdin line is read:
//                                 "continue" runs the next round, "exit" or EOF exits 0 at once
//   heapgate:done                 after the last round's checkpoint was continued; exit code 0
//
// Round scenarios (steady, static-list, event-handler, timer, cache, slow-leak, quote-history,
// outbox, thread-static, handle-leak, duplicate-strings, finalizer-backlog, waste,
// events) run one warm-up
// round (checkpoint "warmup"), then N rounds (checkpoints "round-1" .. "round-N", default N = 3).
// One-shot scenarios (big, chain) build once and stop at a single checkpoint "ready".
//
// Known counts. With W = 1 warm-up round and K = --per-round (default 1000; 3 for slow-leak),
// at checkpoint "round-r" the leaked type has exactly (W + r) * K = (1 + r) * K live instances
// ("warmup" counts as r = 0):
//   static-list    HeapgateScenarios.Leaks.LeakedOrder
//   event-handler  HeapgateScenarios.Leaks.Subscriber
//   timer          HeapgateScenarios.Leaks.TimerPayload (and as many System.Threading.Timer)
//   cache          HeapgateScenarios.Leaks.CacheEntry
//   slow-leak      HeapgateScenarios.Leaks.SlowLeakItem
//   quote-history  HeapgateScenarios.Leaks.PriceQuote in QuoteHistory.s_served (plus a fixed 10 * K
//                  in QuoteCatalog.s_quotes, built before the first checkpoint)
//   outbox         HeapgateScenarios.Leaks.OutboxMessage in the unbounded channel Outbox.s_channel
//                  (K defaults to 100,000)
//   thread-static  HeapgateScenarios.Leaks.ThreadLeakedItem in the main thread's [ThreadStatic]
//                  ThreadLocalRegistry.t_items
//   handle-leak    HeapgateScenarios.Leaks.HandleLeakedSession, each held by a strong GC handle only,
//                  and as many System.Byte[256] held by pinned GC handles only (never freed)
//   duplicate-strings  HeapgateScenarios.Leaks.CustomerRecord in CustomerDirectory.s_records, each
//                  with its own copy of "country-<id % 10>" (so each of 10 values has K * (1 + r) / 10 copies)
//   finalizer-backlog  HeapgateScenarios.Leaks.PendingResource ready for finalization (the finalizer
//                  thread is blocked for good by one StuckFinalizer; checkpoints do not wait for it)
//   waste          HeapgateScenarios.Waste.WasteHolder in WasteStore.s_holders, each with six empty
//                  collections that have storage and a 32-slot array with 30 nulls; plus 4 kept
//                  200,000-byte buffers per round in WasteStore.s_large (the 4 dropped ones leave LOH gaps)
// events: K events per round (default 1,000,000) on the Heapgate-Scenarios EventSource, for timing trace readers.
// steady: no type's count changes between checkpoints.
// chain: exactly M HeapgateScenarios.Graph.ChainNode (default M = 1,000,000).
// big: at least M objects (default 5,000,000) reachable from HeapgateScenarios.Big.Store.s_root.

using System;
using System.Collections.Generic;
using System.Globalization;
using HeapgateScenarios;

const int WarmupRounds = 1;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: LeakScenarios <scenario> [--rounds N] [--per-round K] [--objects M]");
    Console.Error.WriteLine("scenarios: " + string.Join(", ", ScenarioCatalog.Names));
    return args.Length == 0 ? 2 : 0;
}

ScenarioOptions options;
try
{
    options = ScenarioOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"LeakScenarios: {e.Message}");
    return 2;
}

IScenario? scenario = ScenarioCatalog.Create(options);
if (scenario is null)
{
    Console.Error.WriteLine($"LeakScenarios: unknown scenario '{options.Name}' (known: {string.Join(", ", ScenarioCatalog.Names)})");
    return 2;
}

Console.Out.WriteLine($"heapgate:pid {Environment.ProcessId}");
Console.Out.Flush();

if (scenario.OneShot)
{
    scenario.RunRound();
    if (!Checkpoint.Reach("ready", !scenario.BlocksFinalizers)) return 0;
}
else
{
    for (int i = 0; i < WarmupRounds; i++) scenario.RunRound();
    if (!Checkpoint.Reach("warmup", !scenario.BlocksFinalizers)) return 0;
    for (int round = 1; round <= options.Rounds; round++)
    {
        scenario.RunRound();
        if (!Checkpoint.Reach("round-" + round.ToString(CultureInfo.InvariantCulture), !scenario.BlocksFinalizers)) return 0;
    }
}

Console.Out.WriteLine("heapgate:done");
Console.Out.Flush();
return 0;
