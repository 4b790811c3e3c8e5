using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Diagnostics.Runtime;

namespace Heapgate.DumpReader;

/// <summary>
/// Walks a heap segment from one read of its memory: each object's method table, size and
/// references are taken from the bytes in hand, the way ClrMD's own walk computes them (sizes
/// from the type's base and component sizes, references from its GCDesc, dependent handles first,
/// allocation contexts skipped). ClrMD's walk reads the dump again for every object, which makes
/// it several times slower on heaps of millions of objects.
///
/// Anything a plain walk does not expect — an unknown method table, an object running past the
/// segment, memory the dump does not hold — makes <see cref="TryWalk"/> say why, and the
/// caller walks that segment with ClrMD instead, which knows how to step over damage.
/// </summary>
internal sealed class SegmentWalk
{
    private readonly ClrRuntime _runtime;
    private readonly IDataReader _reader;
    private readonly int _pointerSize;
    private readonly uint _minObjectSize;
    private readonly ClrType? _stringType;
    private readonly Dictionary<ulong, ulong> _allocationContexts = new();
    private readonly (ulong Source, ulong Target)[] _dependent;
    private readonly Dictionary<ulong, TypeShape?> _shapes = new();
    private byte[] _memory = new byte[1 << 22];
    private byte[] _scratch = new byte[1 << 16];

    /// <summary>What the walk needs of a method table, looked up once per type.</summary>
    private sealed class TypeShape
    {
        public required ClrType Type;
        public required uint BaseSize;
        public required uint ComponentSize;
        public required bool IsString;
        public required bool IsFree;
        /// <summary>ClrMD enumerates references (dependent handles first) only of these types.</summary>
        public required bool MayReference;
        public required GCDesc? References;
    }

    /// <summary>Receives each object the walk finds and its references.</summary>
    public interface ISink
    {
        void Object(ulong address, ClrType type, ulong size, ClrSegment segment);
        void Reference(ulong target);
    }

    public SegmentWalk(ClrRuntime runtime, IDataReader reader)
    {
        _runtime = runtime;
        _reader = reader;
        _pointerSize = reader.PointerSize;
        _minObjectSize = (uint)_pointerSize * 3;
        _stringType = runtime.Heap.StringType;
        foreach (MemoryRange context in runtime.Heap.EnumerateAllocationContexts())
            if (context.Start < context.End) _allocationContexts[context.Start] = context.End;
        var dependent = new List<(ulong Source, ulong Target)>();
        foreach (ClrHandle handle in runtime.EnumerateHandles())
        {
            if (handle.HandleKind == ClrHandleKind.Dependent && handle.Object.Address != 0)
                dependent.Add((handle.Object.Address, handle.Dependent.Address));
        }
        // Stable by source, as ClrMD orders them.
        _dependent = dependent.OrderBy(d => d.Source).ToArray();
    }

    private TypeShape? ShapeOf(ulong methodTable)
    {
        if (_shapes.TryGetValue(methodTable, out TypeShape? shape)) return shape;
        ClrType? type = _runtime.GetTypeByMethodTable(methodTable);
        shape = type == null ? null : new TypeShape
        {
            Type = type,
            BaseSize = (uint)type.StaticSize,
            ComponentSize = (uint)type.ComponentSize,
            IsString = _stringType != null && type.MethodTable == _stringType.MethodTable,
            IsFree = type.IsFree,
            MayReference = type.ContainsPointers || type.IsCollectible,
            References = type.ContainsPointers && !type.GCDesc.IsEmpty ? type.GCDesc : null,
        };
        _shapes[methodTable] = shape;
        return shape;
    }

    private ulong Align(ulong size, ClrSegment segment)
    {
        ulong mask = _pointerSize == 4 && segment.Kind is not (GCSegmentKind.Large or GCSegmentKind.Pinned) ? 3UL : 7UL;
        return (size + mask) & ~mask;
    }

    /// <summary>
    /// Walks `segment` into `sink`: null when done, else why the segment cannot be walked plainly
    /// (the sink may have been given some of its objects by then).
    /// </summary>
    public string? TryWalk(ClrSegment segment, ISink sink)
    {
        MemoryRange range = segment.ObjectRange;
        ulong start = range.Start, end = range.End;
        if (end <= start) return null;
        if (end - start > int.MaxValue) return "it is larger than 2 GiB";
        if (segment.FirstObjectAddress < start) return "its first object lies before its object range";
        int length = (int)(end - start);
        if (_memory.Length < length) _memory = new byte[Math.Max(length, _memory.Length * 2)];
        Span<byte> memory = _memory.AsSpan(0, length);
        if (_reader.Read(start, memory) != length) return "the dump does not hold all of its memory";

        bool skipContexts = segment.Kind is not (GCSegmentKind.Large or GCSegmentKind.Frozen);
        ulong obj = segment.FirstObjectAddress;
        ulong lastShapeMt = 0;
        TypeShape? last = null;
        while (obj >= start && obj < end)
        {
            long at = (long)(obj - start);
            if (at + _pointerSize > length) return $"the object at {obj:x} runs past its end";
            ulong mt = _pointerSize == 8
                ? BinaryPrimitives.ReadUInt64LittleEndian(memory.Slice((int)at))
                : BinaryPrimitives.ReadUInt32LittleEndian(memory.Slice((int)at));
            TypeShape? shape = mt == lastShapeMt && last != null ? last : ShapeOf(mt);
            if (shape == null) return $"the object at {obj:x} has no known type (method table {mt:x})";
            lastShapeMt = mt;
            last = shape;
            ulong size = shape.BaseSize;
            if (shape.ComponentSize != 0)
            {
                if (at + _pointerSize + 4 > length) return $"the object at {obj:x} runs past its end";
                ulong count = BinaryPrimitives.ReadUInt32LittleEndian(memory.Slice((int)at + _pointerSize));
                if (shape.IsString) count++;
                size = count * shape.ComponentSize + shape.BaseSize;
            }
            if (size < _minObjectSize) size = _minObjectSize;
            if (size > (ulong)(length - at)) return $"the object at {obj:x} runs past its end";

            if (!shape.IsFree)
            {
                sink.Object(obj, shape.Type, size, segment);
                if (shape.MayReference) AddDependents(obj, sink);
                if (shape.References is GCDesc gcdesc && size <= int.MaxValue)
                {
                    // GCDesc reads the object from the start of a buffer of its own.
                    if (_scratch.Length < (int)size) _scratch = new byte[Math.Max((int)size, _scratch.Length * 2)];
                    memory.Slice((int)at, (int)size).CopyTo(_scratch);
                    foreach ((ulong target, int _) in gcdesc.WalkObject(_scratch, (int)size)) sink.Reference(target);
                }
            }

            obj += Align(size, segment);
            if (!skipContexts) continue;
            while (_allocationContexts.TryGetValue(obj, out ulong contextEnd))
            {
                ulong next = contextEnd + Align(_minObjectSize, segment);
                // A context that reaches the end of the segment ends its walk (as in ClrMD's walk).
                if (obj >= next || next >= segment.End) return null;
                obj = next;
            }
        }
        return null;
    }

    private void AddDependents(ulong obj, ISink sink)
    {
        if (_dependent.Length == 0) return;
        int lo = 0, hi = _dependent.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_dependent[mid].Source < obj) lo = mid + 1; else hi = mid;
        }
        for (int i = lo; i < _dependent.Length && _dependent[i].Source == obj; i++) sink.Reference(_dependent[i].Target);
    }
}
