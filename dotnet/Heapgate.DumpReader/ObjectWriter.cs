// Writes one object (its fields and values, array elements, string text) as JSON, following
// reference fields and inline structs `depth` levels down, like SOS !DumpObject / !DumpArray /
// !DumpVC and SOSEX !mdt -r.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Diagnostics.Runtime;

namespace Heapgate.DumpReader;

internal sealed class ObjectWriter(ClrHeap heap, Utf8JsonWriter json)
{
    private const int MaxElements = 32;
    private const int MaxStringChars = 1024;
    private readonly HashSet<ulong> _path = new();

    public void WriteObject(ClrObject obj, int depth)
    {
        ClrType type = obj.Type!;
        json.WriteStartObject();
        json.WriteString("address", Queries.Hex(obj.Address));
        json.WriteString("type", type.Name ?? "");
        json.WriteString("methodTable", Queries.Hex(type.MethodTable));
        json.WriteNumber("size", obj.Size);
        ClrSegment? segment = heap.GetSegmentByAddress(obj.Address);
        if (segment != null) json.WriteString("generation", GenerationOf(segment, obj.Address));
        if (type.Module?.Name is { Length: > 0 } module) json.WriteString("module", module);
        if (obj.IsFree)
        {
            json.WriteBoolean("free", true);
            json.WriteEndObject();
            return;
        }
        _path.Add(obj.Address);
        if (type.IsString)
        {
            string text = obj.AsString(MaxStringChars + 1) ?? "";
            json.WriteString("string", text.Length > MaxStringChars ? text[..MaxStringChars] : text);
            json.WriteNumber("length", obj.ReadField<int>("_stringLength"));
        }
        else if (type.IsArray)
        {
            WriteArray(obj.AsArray(), depth);
        }
        json.WriteStartArray("fields");
        if (!type.IsString && !type.IsArray) WriteFields(type, obj.Address, interior: false, depth);
        json.WriteEndArray();
        json.WriteEndObject();
        _path.Remove(obj.Address);
    }

    private static string GenerationOf(ClrSegment segment, ulong address) => segment.GetGeneration(address) switch
    {
        Generation.Generation0 => "gen0",
        Generation.Generation1 => "gen1",
        Generation.Generation2 => "gen2",
        Generation.Large => "loh",
        Generation.Pinned => "poh",
        Generation.Frozen => "frozen",
        _ => "unknown",
    };

    private void WriteArray(ClrArray array, int depth)
    {
        ClrType? element = array.Type.ComponentType;
        json.WriteStartObject("array");
        json.WriteNumber("length", array.Length);
        json.WriteNumber("rank", array.Rank);
        json.WriteString("elementType", element?.Name ?? "");
        json.WriteStartArray("elements");
        int shown = array.Rank == 1 ? Math.Min(array.Length, MaxElements) : 0;
        for (int i = 0; i < shown; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("index", i);
            if (element == null)
            {
                json.WriteString("kind", "unknown");
            }
            else if (element.IsObjectReference)
            {
                ClrObject target = array.GetObjectValue(i);
                WriteReference(target, depth);
            }
            else if (element.IsValueType && element.ElementType == ClrElementType.Struct)
            {
                ClrValueType value = array.GetStructValue(i);
                json.WriteString("kind", "struct");
                json.WriteString("value", Queries.Hex(value.Address));
                json.WriteStartArray("fields");
                if (depth > 0) WriteFields(element, value.Address, interior: true, depth - 1);
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("kind", "primitive");
                json.WriteString("value", ArrayPrimitive(array, element.ElementType, i));
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private void WriteFields(ClrType type, ulong address, bool interior, int depth)
    {
        foreach (ClrInstanceField field in type.Fields)
        {
            json.WriteStartObject();
            json.WriteString("name", field.Name ?? "");
            json.WriteString("type", field.Type?.Name ?? field.ElementType.ToString());
            // As SOS prints it: from the start of the object (its method table pointer included),
            // or from the start of an inline struct.
            json.WriteNumber("offset", field.Offset + (interior ? 0 : heap.Runtime.DataTarget.DataReader.PointerSize));
            if (field.IsObjectReference)
            {
                WriteReference(field.ReadObject(address, interior), depth);
            }
            else if (field.ElementType == ClrElementType.Struct && field.Type != null)
            {
                ulong inner = field.GetAddress(address, interior);
                json.WriteString("kind", "struct");
                json.WriteString("value", Queries.Hex(inner));
                json.WriteStartArray("fields");
                if (depth > 0) WriteFields(field.Type, inner, interior: true, depth - 1);
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("kind", "primitive");
                json.WriteString("value", FieldPrimitive(field, address, interior));
            }
            json.WriteEndObject();
        }
    }

    private void WriteReference(ClrObject target, int depth)
    {
        json.WriteString("kind", "reference");
        json.WriteString("value", Queries.Hex(target.Address));
        if (target.IsNull || !target.IsValid || target.Type == null) return;
        json.WriteString("targetType", target.Type.Name ?? "");
        if (target.Type.IsString)
        {
            string text = target.AsString(MaxStringChars + 1) ?? "";
            json.WriteString("string", text.Length > MaxStringChars ? text[..MaxStringChars] : text);
        }
        if (depth > 0 && !_path.Contains(target.Address))
        {
            json.WritePropertyName("object");
            WriteObject(target, depth - 1);
        }
    }

    private static string Format<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string FieldPrimitive(ClrInstanceField field, ulong address, bool interior) => field.ElementType switch
    {
        ClrElementType.Boolean => field.Read<bool>(address, interior) ? "true" : "false",
        ClrElementType.Char => Format((int)field.Read<char>(address, interior)),
        ClrElementType.Int8 => Format(field.Read<sbyte>(address, interior)),
        ClrElementType.UInt8 => Format(field.Read<byte>(address, interior)),
        ClrElementType.Int16 => Format(field.Read<short>(address, interior)),
        ClrElementType.UInt16 => Format(field.Read<ushort>(address, interior)),
        ClrElementType.Int32 => Format(field.Read<int>(address, interior)),
        ClrElementType.UInt32 => Format(field.Read<uint>(address, interior)),
        ClrElementType.Int64 => Format(field.Read<long>(address, interior)),
        ClrElementType.UInt64 => Format(field.Read<ulong>(address, interior)),
        ClrElementType.Float => Format(field.Read<float>(address, interior)),
        ClrElementType.Double => Format(field.Read<double>(address, interior)),
        ClrElementType.NativeInt or ClrElementType.NativeUInt or ClrElementType.Pointer or ClrElementType.FunctionPointer =>
            Queries.Hex(field.Read<ulong>(address, interior)),
        _ => "?",
    };

    private static string ArrayPrimitive(ClrArray array, ClrElementType kind, int i) => kind switch
    {
        ClrElementType.Boolean => array.GetValue<bool>(i) ? "true" : "false",
        ClrElementType.Char => Format((int)array.GetValue<char>(i)),
        ClrElementType.Int8 => Format(array.GetValue<sbyte>(i)),
        ClrElementType.UInt8 => Format(array.GetValue<byte>(i)),
        ClrElementType.Int16 => Format(array.GetValue<short>(i)),
        ClrElementType.UInt16 => Format(array.GetValue<ushort>(i)),
        ClrElementType.Int32 => Format(array.GetValue<int>(i)),
        ClrElementType.UInt32 => Format(array.GetValue<uint>(i)),
        ClrElementType.Int64 => Format(array.GetValue<long>(i)),
        ClrElementType.UInt64 => Format(array.GetValue<ulong>(i)),
        ClrElementType.Float => Format(array.GetValue<float>(i)),
        ClrElementType.Double => Format(array.GetValue<double>(i)),
        ClrElementType.NativeInt or ClrElementType.NativeUInt or ClrElementType.Pointer =>
            Queries.Hex(array.GetValue<ulong>(i)),
        _ => "?",
    };
}
