// Heapgate.DumpReader: opens a full memory dump (Linux core, Windows minidump) with ClrMD, walks
// the managed heap once and writes the whole object graph in heapgate's "clrmd graph" binary form.
//
//   Heapgate.DumpReader <dump> [--out <file>] [--dac <libmscordaccore>] [--stats]   (stdout without --out)
//       --stats writes per-type totals of live and dead objects instead of the graph (WriteStats)
//   Heapgate.DumpReader <dump> --query eeheap|handles|strings|object|type|finalizer|collections [--top N] [--address <hex>] [--depth N] [--mt <hex>]
//       answers one SOS-style question as JSON on stdout instead (see Queries.cs)
//
// The format (all integers little-endian; a string is a u32 byte length then UTF-8 bytes):
//
//   header   8 bytes magic "HGCLRMD\0", u32 version (3), u32 pointer size (4 or 8),
//            string CLR version, u32 note count, that many strings (facts worth showing)
//   types    u32 count, then per type: string name, string module (the file name of the
//            type's module as the dump records it, empty when unknown; a type's id is its index)
//   nodes    u64 count n, then four columns of n values each: u64 address (ascending),
//            u32 type id, u64 size, u8 generation (0, 1, 2 = gen0..gen2, 3 = large object
//            heap, 4 = pinned object heap, 5 = frozen segment, 255 = unknown)
//   edges    u64 count e, then u32 reference count per node (n values), then the e u32
//            target node indices, node by node
//   roots    u32 count, then per root: u8 kind, u32 target node index, u32 thread id
//            (managed thread id of a stack or thread-static root, else 0), string name
//            (for statics "Declaring.Type.field", else empty). Kinds: 1 static field,
//            2 thread-static field, 3 stack local, 4 strong handle, 5 pinned handle,
//            6 async pinned handle, 7 ref-counted handle, 8 sized-ref handle,
//            9 finalizer queue, 10 static storage (the runtime's pinned array of statics),
//            11 other
//   trailer  8 bytes magic "HGCLRMD.", u64 node count, u64 edge count
//
// Free blocks are not objects and are left out; references to addresses that are not objects
// of the heap walk are left out and counted in a note.
//
// Exit codes: 0 written, 2 usage, 3 the dump has no .NET runtime or cannot be opened, 4 the
// heap cannot be walked, 5 (queries) the dump has no answer, e.g. no object at that address.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Diagnostics.Runtime;

namespace Heapgate.DumpReader;

internal static class Program
{
    internal const int FormatVersion = 3;

    private static int Main(string[] args)
    {
        string? dump = null;
        string? outPath = null;
        string? dacPath = null;
        string? query = null;
        bool statsOnly = false;
        var queryArgs = new QueryArgs();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) outPath = args[++i];
            else if (args[i] == "--query" && i + 1 < args.Length) query = args[++i];
            else if (args[i] == "--stats") statsOnly = true;
            else if (args[i] == "--top" && i + 1 < args.Length && int.TryParse(args[i + 1], out int top) && top >= 0) { queryArgs.Top = top; i++; }
            else if (args[i] == "--depth" && i + 1 < args.Length && int.TryParse(args[i + 1], out int depth) && depth >= 0) { queryArgs.Depth = depth; i++; }
            else if (args[i] == "--mt" && i + 1 < args.Length && ulong.TryParse(args[i + 1], System.Globalization.NumberStyles.HexNumber, null, out ulong mt)) { queryArgs.MethodTable = mt; i++; }
            else if (args[i] == "--address" && i + 1 < args.Length && ulong.TryParse(args[i + 1], System.Globalization.NumberStyles.HexNumber, null, out ulong address)) { queryArgs.Address = address; i++; }
            else if (args[i] == "--dac" && i + 1 < args.Length) dacPath = args[++i];
            else if (args[i] == "--version") { Console.WriteLine($"Heapgate.DumpReader graph format {FormatVersion}"); return 0; }
            else if (dump == null && !args[i].StartsWith("--", StringComparison.Ordinal)) dump = args[i];
            else return Usage($"unexpected argument '{args[i]}'");
        }
        if (dump == null) return Usage("no dump file given");
        if (query != null && query is not ("eeheap" or "handles" or "strings" or "object" or "type" or "finalizer" or "collections")) return Usage($"unknown query '{query}'");

        DataTarget target;
        try
        {
            target = DataTarget.LoadDump(dump);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Heapgate.DumpReader: cannot open '{dump}': {e.Message}");
            return 3;
        }
        using (target)
        {
            if (target.ClrVersions.Length == 0)
            {
                Console.Error.WriteLine($"Heapgate.DumpReader: '{dump}' holds no .NET runtime (no CLR module was found)");
                return 3;
            }
            ClrInfo info = target.ClrVersions[0];
            ClrRuntime runtime;
            try
            {
                // The runtime's own data access component, next to it on this machine (the dump was
                // usually taken here, or on a machine with the same runtime); else ClrMD's search.
                string? dac = dacPath ?? LocalDac(info);
                // A heap-only dump may not record the runtime's version (0.0): then the DAC of the
                // runtime the dump names by path is taken as matching.
                bool unknownVersion = info.Version.Major == 0;
                runtime = dac != null ? info.CreateRuntime(dac, ignoreMismatch: unknownVersion) : info.CreateRuntime();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"Heapgate.DumpReader: cannot load the runtime's data access component for CLR {info.Version}: {e.Message}");
                return 3;
            }
            using (runtime)
            {
                if (!runtime.Heap.CanWalkHeap)
                {
                    Console.Error.WriteLine("Heapgate.DumpReader: the GC heap is not in a walkable state (the dump was taken during a garbage collection)");
                    return 4;
                }
                if (query != null)
                {
                    using Stream stdout = outPath == null ? Console.OpenStandardOutput() : File.Create(outPath);
                    return Queries.Run(query, queryArgs, runtime, stdout);
                }
                Stream output = outPath == null ? Console.OpenStandardOutput() : File.Create(outPath);
                using (output)
                using (var buffered = new BufferedStream(output, 1 << 20))
                using (var writer = new BinaryWriter(buffered, new UTF8Encoding(false)))
                {
                    var graph = GraphWalk.Walk(runtime, target.DataReader);
                    if (statsOnly) graph.WriteStats(writer, target.DataReader.PointerSize, info.Version.ToString());
                    else graph.Write(writer, target.DataReader.PointerSize, info.Version.ToString());
                }
            }
        }
        return 0;
    }

    private static string? LocalDac(ClrInfo info)
    {
        string? dir = Path.GetDirectoryName(info.ModuleInfo.FileName);
        if (string.IsNullOrEmpty(dir)) return null;
        foreach (string name in new[] { "libmscordaccore.so", "libmscordaccore.dylib", "mscordaccore.dll" })
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static int Usage(string why)
    {
        Console.Error.WriteLine($"Heapgate.DumpReader: {why}");
        Console.Error.WriteLine("usage: Heapgate.DumpReader <dump> [--out <file>] [--dac <path of libmscordaccore>] [--stats]");
        return 2;
    }
}

internal enum RootKind : byte
{
    StaticField = 1,
    ThreadStaticField = 2,
    StackLocal = 3,
    StrongHandle = 4,
    PinnedHandle = 5,
    AsyncPinnedHandle = 6,
    RefCountedHandle = 7,
    SizedRefHandle = 8,
    FinalizerQueue = 9,
    StaticStorage = 10,
    Other = 11,
}

internal readonly record struct Root(RootKind Kind, ulong Address, int ThreadId, string Name);

internal sealed class GraphWalk : SegmentWalk.ISink
{
    private readonly List<string> _typeNames = new();
    private readonly Dictionary<ulong, int> _typeIds = new();
    private readonly List<ClrType> _types = new();
    private ulong[] _address = new ulong[1 << 16];
    private int[] _type = new int[1 << 16];
    private ulong[] _size = new ulong[1 << 16];
    private byte[] _gen = new byte[1 << 16];
    private int[] _edgeCount = new int[1 << 16];
    private int _count;
    private ulong[] _edgeAddress = new ulong[1 << 18];
    private long _edges;
    private readonly List<Root> _roots = new();
    private readonly List<string> _notes = new();

    private static readonly bool s_timings = Environment.GetEnvironmentVariable("HEAPGATE_DUMP_READER_TIMINGS") == "1";
    private static readonly System.Diagnostics.Stopwatch s_clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>With HEAPGATE_DUMP_READER_TIMINGS=1, the time since start of each phase on stderr.</summary>
    internal static void Phase(string name)
    {
        if (s_timings) Console.Error.WriteLine($"{s_clock.ElapsedMilliseconds,6} ms  {name}");
    }

    public static GraphWalk Walk(ClrRuntime runtime, IDataReader reader)
    {
        var walk = new GraphWalk();
        Phase("runtime loaded");
        walk.WalkHeap(runtime, reader);
        Phase($"heap walked: {walk._count} objects, {walk._edges} references");
        walk.FindRoots(runtime);
        Phase($"roots found: {walk._roots.Count}");
        return walk;
    }

    private void WalkHeap(ClrRuntime runtime, IDataReader reader)
    {
        // HEAPGATE_DUMP_READER_WALK=careful: every segment through ClrMD's walk (tests compare both).
        if (Environment.GetEnvironmentVariable("HEAPGATE_DUMP_READER_WALK") == "careful")
        {
            foreach (ClrSegment segment in runtime.Heap.Segments) WalkSegmentWithClrmd(segment);
            return;
        }
        var fast = new SegmentWalk(runtime, reader);
        int slow = 0;
        string? firstReason = null;
        foreach (ClrSegment segment in runtime.Heap.Segments)
        {
            int count = _count;
            long edges = _edges;
            string? why = fast.TryWalk(segment, this);
            if (why == null) continue;
            // Forget what the plain walk took from this segment; ClrMD walks it again carefully.
            _count = count;
            _edges = edges;
            slow++;
            firstReason ??= $"{segment.Kind} segment at {segment.Start:x}: {why}";
            Phase($"walking carefully: {segment.Kind} segment at {segment.Start:x}: {why}");
            WalkSegmentWithClrmd(segment);
        }
        if (slow > 0) _notes.Add($"{slow} heap segment{(slow == 1 ? " was" : "s were")} walked object by object, with care for damage (first: {firstReason})");
    }

    void SegmentWalk.ISink.Object(ulong address, ClrType type, ulong size, ClrSegment segment)
    {
        Grow();
        int i = _count++;
        _address[i] = address;
        _type[i] = TypeId(type);
        _size[i] = size;
        _gen[i] = GenerationOf(segment, address);
        _edgeCount[i] = 0;
    }

    void SegmentWalk.ISink.Reference(ulong target)
    {
        if (_edges == _edgeAddress.LongLength) Array.Resize(ref _edgeAddress, checked(_edgeAddress.Length * 2));
        _edgeAddress[_edges++] = target;
        _edgeCount[_count - 1]++;
    }

    private void WalkSegmentWithClrmd(ClrSegment segment)
    {
        SegmentWalk.ISink sink = this;
        foreach (ClrObject obj in segment.EnumerateObjects(carefully: true))
        {
            ClrType? type = obj.Type;
            if (type == null || type.IsFree) continue;
            sink.Object(obj.Address, type, obj.Size, segment);
            if (!type.ContainsPointers && !type.IsCollectible) continue;
            // Addresses only: resolving each target's type here would read it a second time.
            foreach (ulong target in obj.EnumerateReferenceAddresses(carefully: false, considerDependantHandles: true))
                sink.Reference(target);
        }
    }

    private static byte GenerationOf(ClrSegment segment, ulong address) => segment.Kind switch
    {
        GCSegmentKind.Generation0 => 0,
        GCSegmentKind.Generation1 => 1,
        GCSegmentKind.Generation2 => 2,
        GCSegmentKind.Large => 3,
        GCSegmentKind.Pinned => 4,
        GCSegmentKind.Frozen => 5,
        _ => segment.GetGeneration(address) switch
        {
            Generation.Generation0 => 0,
            Generation.Generation1 => 1,
            Generation.Generation2 => 2,
            Generation.Large => 3,
            Generation.Pinned => 4,
            Generation.Frozen => 5,
            _ => 255,
        },
    };

    private void Grow()
    {
        if (_count < _address.Length) return;
        int n = checked(_address.Length * 2);
        Array.Resize(ref _address, n);
        Array.Resize(ref _type, n);
        Array.Resize(ref _size, n);
        Array.Resize(ref _gen, n);
        Array.Resize(ref _edgeCount, n);
    }

    private int TypeId(ClrType type)
    {
        if (_typeIds.TryGetValue(type.MethodTable, out int id)) return id;
        id = _typeNames.Count;
        _typeNames.Add(type.Name ?? $"(unnamed type {type.MethodTable:x})");
        _typeIds.Add(type.MethodTable, id);
        _types.Add(type);
        return id;
    }

    private void FindRoots(ClrRuntime runtime)
    {
        // Every root the GC would report: strong handles, stacks, the finalizer queue, and (on
        // .NET 9+) statics and thread-statics, which no longer hang off handles only.
        foreach (ClrRoot root in runtime.Heap.EnumerateRoots())
        {
            if (root.Object.IsNull) continue;
            int thread = root is ClrStackRoot stack ? stack.StackFrame?.Thread?.ManagedThreadId ?? 0 : 0;
            _roots.Add(new Root(KindOf(root.RootKind), root.Object.Address, thread, ""));
        }
        int named = 0, threadNamed = 0;
        // Types that declare statics: every module's type definitions, and the closed generic
        // types the heap has instances of (a module's typedef map does not list those, e.g.
        // SharedArrayPool<Byte>, whose thread-static buckets hold arrays).
        var seen = new HashSet<ulong>();
        var declaring = new List<ClrType>();
        foreach (ClrModule module in runtime.EnumerateModules())
        {
            foreach (ClrType type in module.EnumerateTypesWithStaticFields())
                if (seen.Add(type.MethodTable)) declaring.Add(type);
        }
        foreach (ClrType type in _types)
        {
            if (type.Name != null && type.Name.Contains('<') && seen.Add(type.MethodTable)) declaring.Add(type);
        }
        foreach (ClrType type in declaring)
        {
            foreach (ClrStaticField field in type.StaticFields)
            {
                if (!field.IsObjectReference) continue;
                foreach (ClrAppDomain domain in runtime.AppDomains)
                {
                    ClrObject value;
                    try
                    {
                        if (!field.IsInitialized(domain)) continue;
                        value = field.ReadObject(domain);
                    }
                    catch (Exception)
                    {
                        continue;
                    }
                    if (value.IsNull || !value.IsValid) continue;
                    _roots.Add(new Root(RootKind.StaticField, value.Address, 0, $"{type.Name}.{field.Name}"));
                    named++;
                }
            }
            foreach (ClrThreadStaticField field in type.ThreadStaticFields)
            {
                if (!field.IsObjectReference) continue;
                foreach (ClrThread thread in runtime.Threads)
                {
                    ClrObject value;
                    try
                    {
                        if (!field.IsInitialized(thread)) continue;
                        value = field.ReadObject(thread);
                    }
                    catch (Exception)
                    {
                        continue;
                    }
                    if (value.IsNull || !value.IsValid) continue;
                    _roots.Add(new Root(RootKind.ThreadStaticField, value.Address, thread.ManagedThreadId, $"{type.Name}.{field.Name}"));
                    threadNamed++;
                }
            }
        }
        _notes.Add($"{named} static and {threadNamed} thread-static reference fields named by their declaring type");
    }

    private static RootKind KindOf(ClrRootKind kind) => kind switch
    {
        ClrRootKind.Stack => RootKind.StackLocal,
        ClrRootKind.StrongHandle => RootKind.StrongHandle,
        ClrRootKind.PinnedHandle => RootKind.PinnedHandle,
        ClrRootKind.AsyncPinnedHandle => RootKind.AsyncPinnedHandle,
        ClrRootKind.RefCountedHandle => RootKind.RefCountedHandle,
        ClrRootKind.SizedRefHandle => RootKind.SizedRefHandle,
        ClrRootKind.FinalizerQueue => RootKind.FinalizerQueue,
        ClrRootKind.ThreadStaticVar => RootKind.ThreadStaticField,
        ClrRootKind.StaticVar => RootKind.StaticStorage,
        _ => RootKind.Other,
    };

    /// <summary>The walk with every reference resolved to a node index, nodes in address order.</summary>
    private sealed class Resolved
    {
        public required int[] Order;          // node k (address order) is walk entry Order[k]
        public required uint[] Targets;       // resolved reference targets, node by node
        public required uint[] KeptCount;     // resolved references per node
        public required long Kept;
        public required List<(Root Root, int Node)> Roots;
    }

    private Resolved Resolve(int pointerSize)
    {
        // Segments are not always in address order: sort the nodes so references resolve through
        // an index of the sorted addresses, and remember where each node's edges start.
        int n = _count;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = _address[i - 1] < _address[i];
        var edgeStart = new long[n + 1];
        for (int i = 0; i < n; i++) edgeStart[i + 1] = edgeStart[i] + _edgeCount[i];
        var sortedAddress = _address[..n];
        if (!sorted) Array.Sort(sortedAddress, order);
        var index = new AddressIndex(sortedAddress, pointerSize);
        Phase("addresses indexed");

        var rootRecords = new List<(Root root, int node)>();
        long unresolvedRoots = 0;
        foreach (Root r in _roots)
        {
            int k = index.Find(r.Address);
            if (k < 0) { unresolvedRoots++; continue; }
            rootRecords.Add((r, k));
        }
        if (unresolvedRoots > 0) _notes.Add($"{unresolvedRoots} root{(unresolvedRoots == 1 ? " points" : "s point")} at addresses that are not objects of the heap walk");

        // Resolve every reference to a node index (in parallel: lookups only read), then keep the
        // ones that hit an object, in sorted node order.
        long edges = _edges;
        var resolved = new int[edges];
        ulong[] edgeAddress = _edgeAddress;
        const long Chunk = 1 << 16;
        System.Threading.Tasks.Parallel.For(0, (int)((edges + Chunk - 1) / Chunk), c =>
        {
            long end = Math.Min(edges, (c + 1) * Chunk);
            for (long e = c * Chunk; e < end; e++) resolved[e] = index.Find(edgeAddress[e]);
        });
        var targets = new uint[edges];
        var keptCount = new uint[n];
        long kept = 0;
        long dangling = 0;
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            uint c = 0;
            for (long e = edgeStart[i]; e < edgeStart[i + 1]; e++)
            {
                int t = resolved[e];
                if (t < 0) { dangling++; continue; }
                targets[kept++] = (uint)t;
                c++;
            }
            keptCount[k] = c;
        }
        Phase("references resolved");
        if (dangling > 0) _notes.Add($"{dangling} reference{(dangling == 1 ? " points" : "s point")} at addresses that are not objects of the heap walk (left out)");
        return new Resolved { Order = order, Targets = targets, KeptCount = keptCount, Kept = kept, Roots = rootRecords };
    }

    private void WriteHeader(BinaryWriter w, string magic, int pointerSize, string clrVersion)
    {
        w.Write(Encoding.ASCII.GetBytes(magic));
        w.Write((uint)Program.FormatVersion);
        w.Write((uint)pointerSize);
        WriteString(w, clrVersion);
        w.Write((uint)_notes.Count);
        foreach (string note in _notes) WriteString(w, note);

        w.Write((uint)_typeNames.Count);
        for (int t = 0; t < _typeNames.Count; t++)
        {
            WriteString(w, _typeNames[t]);
            WriteString(w, _types[t].Module?.Name ?? "");
        }
    }

    public void Write(BinaryWriter w, int pointerSize, string clrVersion)
    {
        Resolved r = Resolve(pointerSize);
        int n = _count;
        int[] order = r.Order;
        WriteHeader(w, "HGCLRMD\0", pointerSize, clrVersion);

        // Columns, each written as one block of little-endian values.
        w.Write((ulong)n);
        var column64 = new ulong[n];
        var column32 = new uint[n];
        var column8 = new byte[n];
        for (int k = 0; k < n; k++) column64[k] = _address[order[k]];
        WriteBlock(w, column64.AsSpan());
        for (int k = 0; k < n; k++) column32[k] = (uint)_type[order[k]];
        WriteBlock(w, column32.AsSpan());
        for (int k = 0; k < n; k++) column64[k] = _size[order[k]];
        WriteBlock(w, column64.AsSpan());
        for (int k = 0; k < n; k++) column8[k] = _gen[order[k]];
        w.Write(column8);

        w.Write((ulong)r.Kept);
        WriteBlock(w, r.KeptCount.AsSpan());
        WriteBlock(w, r.Targets.AsSpan(0, checked((int)r.Kept)));

        w.Write((uint)r.Roots.Count);
        foreach (var (root, node) in r.Roots)
        {
            w.Write((byte)root.Kind);
            w.Write((uint)node);
            w.Write((uint)root.ThreadId);
            WriteString(w, root.Name);
        }

        w.Write(Encoding.ASCII.GetBytes("HGCLRMD."));
        w.Write((ulong)n);
        w.Write((ulong)r.Kept);
        w.Flush();
        Phase("written");
    }

    /// <summary>
    /// Statistics only (--stats): the objects every root reaches are marked here, and only per-type
    /// totals are written, so a reader that wants `dumpheap -stat -live` does not carry the graph.
    ///
    ///   header   as the graph's, with magic "HGCLRMS\0"
    ///   totals   per type (in type id order): u64 live count, u64 live bytes, u64 dead count,
    ///            u64 dead bytes (dead: found by the heap walk, reached from no root)
    ///   trailer  8 bytes magic "HGCLRMS.", u64 objects walked, u32 root count
    /// </summary>
    public void WriteStats(BinaryWriter w, int pointerSize, string clrVersion)
    {
        Resolved r = Resolve(pointerSize);
        int n = _count;
        var firstEdge = new long[n + 1];
        for (int k = 0; k < n; k++) firstEdge[k + 1] = firstEdge[k] + r.KeptCount[k];
        var reached = new bool[n];
        var stack = new int[n];
        int top = 0;
        foreach (var (_, node) in r.Roots)
        {
            if (reached[node]) continue;
            reached[node] = true;
            stack[top++] = node;
        }
        uint[] targets = r.Targets;
        while (top > 0)
        {
            int v = stack[--top];
            for (long e = firstEdge[v], end = firstEdge[v + 1]; e < end; e++)
            {
                int t = (int)targets[e];
                if (reached[t]) continue;
                reached[t] = true;
                stack[top++] = t;
            }
        }
        int types = _typeNames.Count;
        var totals = new ulong[4 * types];
        for (int k = 0; k < n; k++)
        {
            int i = r.Order[k];
            int slot = 4 * _type[i] + (reached[k] ? 0 : 2);
            totals[slot]++;
            totals[slot + 1] += _size[i];
        }
        Phase("live objects marked");

        WriteHeader(w, "HGCLRMS\0", pointerSize, clrVersion);
        WriteBlock(w, totals.AsSpan());
        w.Write(Encoding.ASCII.GetBytes("HGCLRMS."));
        w.Write((ulong)n);
        w.Write((uint)r.Roots.Count);
        w.Flush();
        Phase("written");
    }

    private static void WriteBlock<T>(BinaryWriter w, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the graph is written on little-endian machines only");
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }
}
