using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Heapgate.Testing;

/// <summary>
/// The messages exchanged with heapgate (src/testrun/protocol.ts): one JSON object per line over
/// the channel, or one assertion request file for <c>heapgate assert</c>.
/// </summary>
internal static class Protocol
{
    public const int Version = 1;
    public const string ChannelEnv = "HEAPGATE_CHANNEL";
    public const string OutDirEnv = "HEAPGATE_TEST_OUT";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>What an assertion asks, in heapgate's rule terms.</summary>
internal sealed record AssertionSpec(string Kind)
{
    public string? Match { get; init; }
    public long? Max { get; init; }
    public long? Count { get; init; }
    public long? Bytes { get; init; }
    public string? Text { get; init; }

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["kind"] = Kind };
        if (Match is not null) o["match"] = Match;
        if (Max is not null) o["max"] = Max;
        if (Count is not null) o["count"] = Count;
        if (Bytes is not null) o["bytes"] = Bytes;
        if (Text is not null) o["text"] = Text;
        return o;
    }
}

/// <summary>heapgate's answer to an assertion.</summary>
public sealed class AssertionOutcome
{
    /// <summary>True when the assertion held.</summary>
    public bool Passed { get; init; }

    /// <summary>pass, warn, fail or inconclusive.</summary>
    public string Verdict { get; init; } = "";

    /// <summary>What was expected, what was found, and who holds it (empty when it passed).</summary>
    public string Message { get; init; } = "";

    /// <summary>heapgate's check report (JSON) of this assertion, when written.</summary>
    public string? Report { get; init; }

    /// <summary>The snapshot files the assertion read.</summary>
    public IReadOnlyList<string> Snapshots { get; init; } = [];
}

internal sealed class CheckpointReply
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string File { get; init; } = "";
    public long Objects { get; init; }
    public long Bytes { get; init; }
    public long CollectMs { get; init; }
    public long ReadMs { get; init; }
}

internal sealed class Reply
{
    public int Id { get; init; }
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public int? Protocol { get; init; }
    public CheckpointReply? Checkpoint { get; init; }
    public AssertionOutcome? Outcome { get; init; }
}
