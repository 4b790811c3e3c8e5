// TraceOracle: reads a .nettrace with TraceEvent and prints, as JSON, every GC AllocationTick event
// (type name, AllocationAmount64, kind) with the frames TraceLog resolves for its stack, plus the
// time a plain EventPipeEventSource pass over the file takes.
//
//   TraceOracle <file.nettrace>
//   TraceOracle --read-only <file.nettrace>   only the plain pass: events, ticks and its time
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

bool readOnly = args.Length == 2 && args[0] == "--read-only";
if (args.Length != 1 && !readOnly)
{
    Console.Error.WriteLine("usage: TraceOracle [--read-only] <file.nettrace>");
    return 2;
}
string path = Path.GetFullPath(args[^1]);

// A plain pass (what a streaming reader costs): count events and allocation ticks.
var sw = Stopwatch.StartNew();
long events = 0, sourceTicks = 0;
using (var source = new EventPipeEventSource(path))
{
    source.AllEvents += _ => events++;
    source.Clr.GCAllocationTick += _ => sourceTicks++;
    source.Process();
}
double sourceMs = sw.Elapsed.TotalMilliseconds;
if (readOnly)
{
    Console.Out.Write(JsonSerializer.Serialize(new { events, sourceTicks, sourceMs }));
    return 0;
}

// TraceLog resolves stacks through the method load and rundown events.
string etlx = Path.Combine(Path.GetTempPath(), $"traceoracle-{Environment.ProcessId}.etlx");
var ticks = new List<object>();
try
{
    TraceLog.CreateFromEventPipeDataFile(path, etlx);
    using var log = new TraceLog(etlx);
    foreach (TraceEvent ev in log.Events)
    {
        if (ev is not GCAllocationTickTraceData tick) continue;
        var frames = new List<string>();
        for (TraceCallStack? s = tick.CallStack(); s is not null; s = s.Caller)
        {
            TraceMethod? m = s.CodeAddress.Method;
            frames.Add(m is null ? "?" : m.FullMethodName);
        }
        ticks.Add(new
        {
            type = tick.TypeName,
            amount = tick.AllocationAmount64,
            kind = (int)tick.AllocationKind,
            heap = tick.HeapIndex,
            frames,
        });
    }
}
finally
{
    File.Delete(etlx);
}

Console.Out.Write(JsonSerializer.Serialize(new { events, sourceTicks, sourceMs, ticks }));
return 0;
