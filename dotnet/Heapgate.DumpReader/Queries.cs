// SOS-style queries on a dump, each answered as one JSON document on stdout (heapgate renders
// them): `--query eeheap` (segments, per-generation sizes, free space), `--query handles` (every
// GC handle with its target), `--query strings [--top N]` (duplicate string values, their wasted
// bytes and holding fields), `--query object --address <hex> [--depth N]` (fields and values),
// `--query type --mt <hex>` (the type a method table belongs to), `--query finalizer [--top N]`
// (objects ready for finalization, by type: SOS !FinalizeQueue), `--query collections [--top N]`
// (empty collections that keep storage, and reference arrays that are mostly null, with the
// fields holding them).
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
            "finalizer" => Finalizer(runtime, json, args.Top),
            "collections" => Collections(runtime, json, args.Top),
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
            // On the large object heap (never compacted by default), its largest free blocks and the
            // objects on either side of each: what keeps the gap from closing.
            bool large = segment.Kind == GCSegmentKind.Large;
            var blocks = new List<FreeBlock>();
            FreeBlock? open = null;
            ClrObject previous = default;
            foreach (ClrObject obj in segment.EnumerateObjects(carefully: true))
            {
                string gen = GenerationName(segment, obj.Address);
                var into = obj.IsFree ? free : live;
                into.TryGetValue(gen, out var prev);
                into[gen] = (prev.bytes + obj.Size, prev.objects + 1);
                if (!large) continue;
                if (open != null && !obj.IsFree)
                {
                    open.After = obj;
                    open = null;
                }
                if (obj.IsFree)
                {
                    open = new FreeBlock { Address = obj.Address, Size = obj.Size, Before = previous };
                    blocks.Add(open);
                    if (blocks.Count > 64) blocks = blocks.OrderByDescending(b => b.Size).Take(LargestFreeBlocks).ToList();
                }
                else previous = obj;
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
            if (large)
            {
                json.WriteStartArray("largestFree");
                foreach (FreeBlock b in blocks.OrderByDescending(b => b.Size).ThenBy(b => b.Address).Take(LargestFreeBlocks))
                {
                    json.WriteStartObject();
                    json.WriteString("address", Hex(b.Address));
                    json.WriteNumber("size", b.Size);
                    WriteNeighbour(json, "before", b.Before);
                    WriteNeighbour(json, "after", b.After);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
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

    private const int LargestFreeBlocks = 3;

    private sealed class FreeBlock
    {
        public ulong Address;
        public ulong Size;
        public ClrObject Before;
        public ClrObject After;
    }

    private static void WriteNeighbour(Utf8JsonWriter json, string name, ClrObject obj)
    {
        if (obj.IsNull || obj.Type == null) return;
        json.WriteStartObject(name);
        json.WriteString("address", Hex(obj.Address));
        json.WriteString("type", obj.Type.Name ?? $"(unnamed type {Hex(obj.Type.MethodTable)})");
        json.WriteNumber("size", obj.Size);
        json.WriteEndObject();
    }

    private static string TypeName(ClrType type) => type.Name ?? $"(unnamed type {Hex(type.MethodTable)})";

    /// <summary>
    /// The finalization queue as SOS !FinalizeQueue reads it: objects registered for finalization
    /// (still referenced, or not yet found unreferenced by a GC), and objects ready for
    /// finalization (found unreferenced; waiting for the finalizer thread, and keeping everything
    /// they reference alive until it runs them), by type.
    /// </summary>
    private static int Finalizer(ClrRuntime runtime, Utf8JsonWriter json, int top)
    {
        ClrHeap heap = runtime.Heap;
        var byType = new Dictionary<string, (long count, ulong bytes)>(StringComparer.Ordinal);
        long ready = 0;
        ulong readyBytes = 0;
        var readyAddresses = new HashSet<ulong>();
        foreach (ClrRoot root in heap.EnumerateFinalizerRoots())
        {
            ClrObject obj = root.Object;
            if (obj.IsNull) continue;
            string name = obj.Type == null ? "(unknown type)" : TypeName(obj.Type);
            ready++;
            readyAddresses.Add(obj.Address);
            readyBytes += obj.Size;
            byType.TryGetValue(name, out var prev);
            byType[name] = (prev.count + 1, prev.bytes + obj.Size);
        }
        // ClrMD lists the ready objects among the finalizable ones too; SOS counts them apart.
        long registered = 0;
        foreach (ClrObject obj in heap.EnumerateFinalizableObjects())
            if (!readyAddresses.Contains(obj.Address)) registered++;
        json.WriteStartObject();
        foreach (ClrThread thread in runtime.Threads)
        {
            if (!thread.IsFinalizer) continue;
            // The finalizer the thread is running, if any: a finalizer that does not return stops them all.
            ClrMethod? running = thread.EnumerateStackTrace().Select(f => f.Method).FirstOrDefault(m => m?.Name == "Finalize");
            if (running != null) json.WriteString("runningFinalizer", running.Signature ?? $"{running.Type.Name}.Finalize()");
            break;
        }
        json.WriteNumber("registered", registered);
        json.WriteNumber("ready", ready);
        json.WriteNumber("readyBytes", readyBytes);
        json.WriteNumber("readyTypes", byType.Count);
        json.WriteStartArray("types");
        foreach (var (name, t) in byType.OrderByDescending(kv => kv.Value.count).ThenByDescending(kv => kv.Value.bytes).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top))
        {
            json.WriteStartObject();
            json.WriteString("type", name);
            json.WriteNumber("count", t.count);
            json.WriteNumber("bytes", t.bytes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        return 0;
    }

    /// <summary>How to tell a collection's element count and the arrays that are its storage.</summary>
    private sealed record CollectionShape(string[] CountFields, string[] FreeFields, string[] StorageFields, string? TablesField = null);

    private static readonly Dictionary<string, CollectionShape> Shapes = new(StringComparer.Ordinal)
    {
        ["System.Collections.Generic.List"] = new(["_size"], [], ["_items"]),
        ["System.Collections.Generic.Dictionary"] = new(["_count"], ["_freeCount"], ["_buckets", "_entries"]),
        ["System.Collections.Generic.HashSet"] = new(["_count"], ["_freeCount"], ["_buckets", "_entries"]),
        ["System.Collections.Generic.Queue"] = new(["_size"], [], ["_array"]),
        ["System.Collections.Generic.Stack"] = new(["_size"], [], ["_array"]),
        ["System.Collections.Generic.SortedList"] = new(["_size"], [], ["keys", "values"]),
        ["System.Collections.Generic.PriorityQueue"] = new(["_size"], [], ["_nodes"]),
        ["System.Collections.ArrayList"] = new(["_size"], [], ["_items"]),
        // Its count is the sum of the per-lock counts; its storage hangs off its tables object.
        ["System.Collections.Concurrent.ConcurrentDictionary"] = new([], [], ["_buckets", "_locks", "_countPerLock"], "_tables"),
    };

    private static CollectionShape? ShapeOf(ClrType type)
    {
        string? name = type.Name;
        if (name == null || type.IsArray) return null;
        int lt = name.IndexOf('<');
        return Shapes.GetValueOrDefault(lt < 0 ? name : name[..lt]);
    }

    /// <summary>Element count and storage arrays of a collection, or null when it is not empty or keeps no storage.</summary>
    private static (ulong bytes, List<ulong> arrays)? EmptyStorage(ClrObject obj, CollectionShape shape)
    {
        ClrObject holder = obj;
        long count;
        if (shape.TablesField != null)
        {
            if (!obj.TryReadObjectField(shape.TablesField, out holder) || holder.IsNull) return null;
            if (!holder.TryReadObjectField("_countPerLock", out ClrObject perLock) || perLock.IsNull || !perLock.IsArray) return null;
            ClrArray counts = perLock.AsArray();
            count = 0;
            foreach (int c in counts.ReadValues<int>(0, counts.Length) ?? []) count += c;
        }
        else
        {
            count = 0;
            foreach (string f in shape.CountFields)
            {
                if (!obj.TryReadField(f, out int c)) return null;
                count += c;
            }
            foreach (string f in shape.FreeFields)
                if (obj.TryReadField(f, out int c)) count -= c;
        }
        if (count != 0) return null;
        ulong bytes = 0;
        var arrays = new List<ulong>();
        foreach (string f in shape.StorageFields)
        {
            if (!holder.TryReadObjectField(f, out ClrObject storage) || storage.IsNull || !storage.IsArray) continue;
            // The shared empty array of a collection created without capacity is no storage of its own.
            if (storage.AsArray().Length == 0) continue;
            bytes += storage.Size;
            arrays.Add(storage.Address);
        }
        return bytes == 0 ? null : (bytes, arrays);
    }

    private sealed class WasteGroup
    {
        public long Count;
        public ulong Bytes;
        public long NullSlots;
    }

    /// <summary>Reference arrays at least this long, and at least this share null, are sparse.</summary>
    internal const int SparseMinLength = 16;
    internal const double SparseMinNullShare = 0.5;

    private readonly record struct Waste(bool Empty, string Type, ulong Bytes, long NullSlots);

    /// <summary>
    /// Empty collections that keep storage (a List, Dictionary, HashSet, Queue, Stack, … with no
    /// elements but an allocated array), and sparse reference arrays (mostly null slots: the
    /// bytes of the null slots are waste), each by type and by the field holding them.
    /// </summary>
    private static int Collections(ClrRuntime runtime, Utf8JsonWriter json, int top)
    {
        ClrHeap heap = runtime.Heap;
        int pointer = runtime.DataTarget.DataReader.PointerSize;
        var waste = new Dictionary<ulong, Waste>();
        var storageOfEmpty = new HashSet<ulong>();
        var candidates = new List<(ulong address, string type, long length, long nonNull)>();
        foreach (ClrObject obj in heap.EnumerateObjects(carefully: true))
        {
            ClrType? type = obj.Type;
            if (type == null || obj.IsFree) continue;
            if (type.IsArray)
            {
                if (type.ComponentType == null || !type.ComponentType.IsObjectReference) continue;
                int length = obj.AsArray().Length;
                if (length < SparseMinLength) continue;
                long nonNull = 0;
                foreach (ulong _ in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: false)) nonNull++;
                if (length - nonNull >= SparseMinNullShare * length) candidates.Add((obj.Address, TypeName(type), length, nonNull));
                continue;
            }
            CollectionShape? shape = ShapeOf(type);
            if (shape == null) continue;
            var empty = EmptyStorage(obj, shape);
            if (empty == null) continue;
            waste[obj.Address] = new Waste(true, TypeName(type), empty.Value.bytes, 0);
            foreach (ulong a in empty.Value.arrays) storageOfEmpty.Add(a);
        }
        // The storage of an empty collection is counted with the collection, not again as a sparse array.
        foreach (var c in candidates)
            if (!storageOfEmpty.Contains(c.address))
                waste[c.address] = new Waste(false, c.type, (ulong)((c.length - c.nonNull) * pointer), c.length - c.nonNull);

        // Who holds them: the declaring type and field, or the array type for array elements.
        var holders = new Dictionary<(bool empty, string holder), WasteGroup>();
        var held = new HashSet<ulong>();
        foreach (ClrObject obj in heap.EnumerateObjects(carefully: true))
        {
            ClrType? type = obj.Type;
            if (type == null || !type.ContainsPointers) continue;
            foreach (ClrReference reference in obj.EnumerateReferencesWithFields(carefully: false, considerDependantHandles: false))
            {
                if (!waste.TryGetValue(reference.Object.Address, out Waste w)) continue;
                string holder = reference.IsArrayElement || reference.Field == null
                    ? $"{TypeName(type)}"
                    : $"{TypeName(type)}.{reference.Field.Name}{(reference.InnerField?.Field != null ? "." + reference.InnerField.Value.Field.Name : "")}";
                if (!holders.TryGetValue((w.Empty, holder), out WasteGroup? g)) holders.Add((w.Empty, holder), g = new WasteGroup());
                g.Count++;
                g.Bytes += w.Bytes;
                g.NullSlots += w.NullSlots;
                held.Add(reference.Object.Address);
            }
        }

        json.WriteStartObject();
        json.WriteNumber("pointerSize", pointer);
        foreach (bool empty in new[] { true, false })
        {
            var mine = waste.Where(kv => kv.Value.Empty == empty).ToList();
            var byType = new Dictionary<string, WasteGroup>(StringComparer.Ordinal);
            foreach (var (_, w) in mine)
            {
                if (!byType.TryGetValue(w.Type, out WasteGroup? g)) byType.Add(w.Type, g = new WasteGroup());
                g.Count++;
                g.Bytes += w.Bytes;
                g.NullSlots += w.NullSlots;
            }
            json.WriteStartObject(empty ? "emptyCollections" : "sparseArrays");
            if (!empty)
            {
                json.WriteNumber("minLength", SparseMinLength);
                json.WriteNumber("minNullShare", SparseMinNullShare);
            }
            json.WriteNumber("objects", mine.Count);
            json.WriteNumber("wastedBytes", mine.Aggregate(0UL, (n, kv) => n + kv.Value.Bytes));
            if (!empty) json.WriteNumber("nullSlots", mine.Aggregate(0L, (n, kv) => n + kv.Value.NullSlots));
            json.WriteNumber("unheld", mine.Count(kv => !held.Contains(kv.Key)));
            WriteGroups(json, "types", "type", byType.Select(kv => (kv.Key, kv.Value)), empty, top);
            WriteGroups(json, "holders", "holder", holders.Where(kv => kv.Key.empty == empty).Select(kv => (kv.Key.holder, kv.Value)), empty, top);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        return 0;
    }

    private static void WriteGroups(Utf8JsonWriter json, string name, string key, IEnumerable<(string name, WasteGroup group)> groups, bool empty, int top)
    {
        json.WriteStartArray(name);
        foreach (var (n, g) in groups.OrderByDescending(x => x.group.Bytes).ThenBy(x => x.name, StringComparer.Ordinal).Take(top))
        {
            json.WriteStartObject();
            json.WriteString(key, n);
            json.WriteNumber("count", g.Count);
            json.WriteNumber("wastedBytes", g.Bytes);
            if (!empty) json.WriteNumber("nullSlots", g.NullSlots);
            json.WriteEndObject();
        }
        json.WriteEndArray();
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
