// SOS-style queries on a dump, each answered as one JSON document on stdout (heapgate renders
// them): `--query eeheap` (segments, per-generation sizes, free space), `--query handles` (every
// GC handle with its target), `--query strings [--top N]` (duplicate string values, their wasted
// bytes and holding fields), `--query object --address <hex> [--depth N]` (fields and values),
// `--query type --mt <hex>` (the type a method table belongs to).
//
// Addresses are written as lower-case hex strings without 0x (JSON numbers cannot hold 64 bits);
// sizes and counts as numbers.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.Diagnostics.Runtime;

namespace Heapgate.DumpReader;

internal static class Queries
{
    /// <summary>Exit code for a well-formed question the dump cannot answer (e.g. no object at that address).</summary>
    internal const int NotFound = 5;

    public static int Run(string query, QueryArgs args, ClrRuntime runtime, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        int code = query switch
        {
            "eeheap" => EEHeap(runtime, json),
            "handles" => Handles(runtime, json),
            "strings" => Strings(runtime, json, args.Top),
            "object" => ObjectQuery(runtime, json, args),
            "type" => TypeQuery(runtime, json, args),
            _ => -1,
        };
        json.Flush();
        return code;
    }

    internal static string Hex(ulong value) => value.ToString("x", CultureInfo.InvariantCulture);

    private static string KindName(GCSegmentKind kind) => kind switch
    {
        GCSegmentKind.Generation0 => "gen0",
        GCSegmentKind.Generation1 => "gen1",
        GCSegmentKind.Generation2 => "gen2",
        GCSegmentKind.Large => "loh",
        GCSegmentKind.Pinned => "poh",
        GCSegmentKind.Frozen => "frozen",
        GCSegmentKind.Ephemeral => "ephemeral",
        _ => "unknown",
    };

    private static string GenerationName(ClrSegment segment, ulong address) => segment.Kind switch
    {
        GCSegmentKind.Generation0 => "gen0",
        GCSegmentKind.Generation1 => "gen1",
        GCSegmentKind.Generation2 => "gen2",
        GCSegmentKind.Large => "loh",
        GCSegmentKind.Pinned => "poh",
        GCSegmentKind.Frozen => "frozen",
        _ => segment.GetGeneration(address) switch
        {
            Generation.Generation0 => "gen0",
            Generation.Generation1 => "gen1",
            Generation.Generation2 => "gen2",
            Generation.Large => "loh",
            Generation.Pinned => "poh",
            Generation.Frozen => "frozen",
            _ => "unknown",
        },
    };

    private static int EEHeap(ClrRuntime runtime, Utf8JsonWriter json)
    {
        ClrHeap heap = runtime.Heap;
        json.WriteStartObject();
        json.WriteBoolean("server", heap.IsServer);
        json.WriteNumber("heapCount", heap.SubHeaps.Length);
        json.WriteStartArray("segments");
        foreach (ClrSegment segment in heap.Segments)
        {
            // Per segment: objects and free space by generation (an ephemeral segment holds several).
            var live = new SortedDictionary<string, (ulong bytes, long objects)>(StringComparer.Ordinal);
            var free = new SortedDictionary<string, (ulong bytes, long objects)>(StringComparer.Ordinal);
            foreach (ClrObject obj in segment.EnumerateObjects(carefully: true))
            {
                string gen = GenerationName(segment, obj.Address);
                var into = obj.IsFree ? free : live;
                into.TryGetValue(gen, out var prev);
                into[gen] = (prev.bytes + obj.Size, prev.objects + 1);
            }
            json.WriteStartObject();
            json.WriteNumber("heap", segment.SubHeap.Index);
            json.WriteString("kind", KindName(segment.Kind));
            json.WriteString("address", Hex(segment.Address));
            json.WriteString("begin", Hex(segment.ObjectRange.Start));
            json.WriteString("allocated", Hex(segment.ObjectRange.End));
            json.WriteString("committed", Hex(segment.CommittedMemory.End));
            json.WriteString("reserved", Hex(segment.ReservedMemory.End));
            json.WriteNumber("allocatedBytes", segment.ObjectRange.Length);
            json.WriteNumber("committedBytes", segment.CommittedMemory.Length);
            json.WriteNumber("reservedBytes", segment.ReservedMemory.Length);
            json.WriteStartArray("generations");
            foreach (string gen in live.Keys.Union(free.Keys).Distinct().OrderBy(g => g, StringComparer.Ordinal))
            {
                live.TryGetValue(gen, out var l);
                free.TryGetValue(gen, out var f);
                json.WriteStartObject();
                json.WriteString("generation", gen);
                json.WriteNumber("objectBytes", l.bytes);
                json.WriteNumber("objects", l.objects);
                json.WriteNumber("freeBytes", f.bytes);
                json.WriteNumber("freeObjects", f.objects);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return 0;
    }

    private static int Handles(ClrRuntime runtime, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("handles");
        foreach (ClrHandle handle in runtime.EnumerateHandles())
        {
            json.WriteStartObject();
            json.WriteString("address", Hex(handle.Address));
            json.WriteString("kind", handle.HandleKind.ToString());
            json.WriteBoolean("strong", handle.IsStrong);
            json.WriteBoolean("pinned", handle.IsPinned);
            ClrObject target = handle.Object;
            json.WriteString("object", Hex(target.Address));
            if (!target.IsNull && target.Type != null)
            {
                json.WriteString("type", target.Type.Name ?? $"(unnamed type {Hex(target.Type.MethodTable)})");
                json.WriteNumber("size", target.Size);
            }
            if (handle.HandleKind == ClrHandleKind.RefCounted) json.WriteNumber("referenceCount", handle.ReferenceCount);
            if (handle.HandleKind == ClrHandleKind.Dependent) json.WriteString("dependent", Hex(handle.Dependent.Address));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return 0;
    }

    private sealed class StringGroup
    {
        public long Count;
        public ulong Size;
        public ulong TotalBytes;
        public Dictionary<string, long> Holders = new(StringComparer.Ordinal);
    }

    private static int Strings(ClrRuntime runtime, Utf8JsonWriter json, int top)
    {
        ClrHeap heap = runtime.Heap;
        var groups = new Dictionary<string, StringGroup>(StringComparer.Ordinal);
        var byAddress = new Dictionary<ulong, string>();
        long strings = 0;
        ulong stringBytes = 0;
        foreach (ClrObject obj in heap.EnumerateObjects(carefully: true))
        {
            ClrType? type = obj.Type;
            if (type == null || !type.IsString) continue;
            string? value = obj.AsString(int.MaxValue);
            if (value == null) continue;
            strings++;
            stringBytes += obj.Size;
            if (!groups.TryGetValue(value, out StringGroup? g)) groups.Add(value, g = new StringGroup { Size = obj.Size });
            g.Count++;
            g.TotalBytes += obj.Size;
            byAddress[obj.Address] = value;
        }
        var duplicated = groups.Where(kv => kv.Value.Count > 1)
            .OrderByDescending(kv => kv.Value.TotalBytes - kv.Value.Size)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        ulong wasted = 0;
        foreach (var kv in duplicated) wasted += kv.Value.TotalBytes - kv.Value.Size;
        var shown = duplicated.Take(top).ToList();
        var shownValues = new HashSet<string>(shown.Select(kv => kv.Key), StringComparer.Ordinal);

        // Who holds the copies of the shown values: the declaring type and field, or the array type.
        foreach (ClrObject obj in heap.EnumerateObjects(carefully: true))
        {
            ClrType? type = obj.Type;
            if (type == null || !type.ContainsPointers) continue;
            foreach (ClrReference reference in obj.EnumerateReferencesWithFields(carefully: false, considerDependantHandles: false))
            {
                if (!byAddress.TryGetValue(reference.Object.Address, out string? value) || !shownValues.Contains(value)) continue;
                string holder = reference.IsArrayElement
                    ? $"{type.Name}"
                    : reference.Field != null
                        ? $"{type.Name}.{reference.Field.Name}{(reference.InnerField?.Field != null ? "." + reference.InnerField.Value.Field.Name : "")}"
                        : $"{type.Name}";
                Dictionary<string, long> h = groups[value].Holders;
                h[holder] = h.GetValueOrDefault(holder) + 1;
            }
        }

        json.WriteStartObject();
        json.WriteNumber("strings", strings);
        json.WriteNumber("stringBytes", stringBytes);
        json.WriteNumber("distinctValues", groups.Count);
        json.WriteNumber("duplicatedValues", duplicated.Count);
        json.WriteNumber("wastedBytes", wasted);
        json.WriteStartArray("duplicates");
        foreach (var (value, g) in shown)
        {
            json.WriteStartObject();
            json.WriteString("value", value.Length > 1024 ? value[..1024] : value);
            json.WriteNumber("length", value.Length);
            json.WriteNumber("count", g.Count);
            json.WriteNumber("size", g.Size);
            json.WriteNumber("totalBytes", g.TotalBytes);
            json.WriteNumber("wastedBytes", g.TotalBytes - g.Size);
            json.WriteStartArray("holders");
            foreach (var (holder, count) in g.Holders.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(5))
            {
                json.WriteStartObject();
                json.WriteString("holder", holder);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return 0;
    }

    private static int TypeQuery(ClrRuntime runtime, Utf8JsonWriter json, QueryArgs args)
    {
        if (args.MethodTable == null)
        {
            Console.Error.WriteLine("Heapgate.DumpReader: --query type needs --mt <hex>");
            return 2;
        }
        ClrType? type = runtime.Heap.GetTypeByMethodTable(args.MethodTable.Value);
        if (type == null)
        {
            Console.Error.WriteLine($"Heapgate.DumpReader: no type has method table {Hex(args.MethodTable.Value)} in this dump");
            return NotFound;
        }
        json.WriteStartObject();
        json.WriteString("methodTable", Hex(type.MethodTable));
        json.WriteString("name", type.Name ?? "");
        json.WriteEndObject();
        return 0;
    }

    private static int ObjectQuery(ClrRuntime runtime, Utf8JsonWriter json, QueryArgs args)
    {
        ClrHeap heap = runtime.Heap;
        if (args.Address == null)
        {
            Console.Error.WriteLine("Heapgate.DumpReader: --query object needs --address <hex>");
            return 2;
        }
        ulong address = args.Address.Value;
        ClrObject obj = heap.GetObject(address);
        if (!obj.IsValid || obj.Type == null)
        {
            ClrSegment? segment = heap.GetSegmentByAddress(address);
            string why = segment == null
                ? "it is not inside the managed heap"
                : "it lies inside the managed heap but no object starts there";
            Console.Error.WriteLine($"Heapgate.DumpReader: no object at address {Hex(address)}: {why}");
            return NotFound;
        }
        new ObjectWriter(heap, json).WriteObject(obj, Math.Max(0, args.Depth));
        return 0;
    }
}

internal sealed class QueryArgs
{
    public ulong? MethodTable;
    public int Top = 50;
    public ulong? Address;
    public int Depth;
}
