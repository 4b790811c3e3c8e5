using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Heapgate.Testing;

/// <summary>
/// Without <c>heapgate test</c>: collects checkpoints with dotnet-gcdump and judges each assertion
/// with <c>heapgate assert</c>, so the rules engine is heapgate's on this path too.
/// </summary>
internal sealed class StandaloneBackend(string gcdump, (string FileName, string[] Prefix) cli, string outDir) : IHeapgateBackend
{
    private static readonly TimeSpan CollectTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AssertTimeout = TimeSpan.FromMinutes(5);
    private int _checkpoints;
    private int _assertions;

    public async Task<HeapCheckpoint> CheckpointAsync(string name, string? test, CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _checkpoints);
        string file = Path.Combine(outDir, "checkpoints", $"{Environment.ProcessId}-cp{n}-{SafeName(name)}.gcdump");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        ProcessResult result = await ProcessRunner.RunAsync(gcdump,
            ["collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file],
            CollectTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(file))
            throw new HeapgateException($"dotnet-gcdump could not collect checkpoint '{name}' (exit {result.ExitCode}): {Tail(result.Stdout + result.Stderr)}");
        return new HeapCheckpoint(name, file, file, 0, 0, result.Elapsed, test);
    }

    public async Task<AssertionOutcome> AssertAsync(AssertionSpec spec, HeapCheckpoint? from, HeapCheckpoint to, string? test, string description, CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _assertions);
        string dir = Path.Combine(outDir, "assertions");
        Directory.CreateDirectory(dir);
        string stem = Path.Combine(dir, $"{Environment.ProcessId}-a{n}");
        var request = new JsonObject
        {
            ["op"] = "assert",
            ["id"] = n,
            ["description"] = description,
            ["assertion"] = spec.ToJson(),
            ["head"] = to.File,
            ["headName"] = to.Name,
        };
        if (from is not null)
        {
            request["base"] = from.File;
            request["baseName"] = from.Name;
        }
        if (test is not null) request["test"] = test;
        await File.WriteAllTextAsync(stem + ".request.json", request.ToJsonString(), cancellationToken).ConfigureAwait(false);
        ProcessResult result = await ProcessRunner.RunAsync(cli.FileName,
            [.. cli.Prefix, "assert", stem + ".request.json", "--report", stem + ".json"],
            AssertTimeout, cancellationToken).ConfigureAwait(false);
        // 0: held, 1: did not hold; anything else is heapgate saying what is wrong.
        if (result.ExitCode is not (0 or 1))
            throw new HeapgateException($"heapgate assert failed (exit {result.ExitCode}): {Tail(result.Stderr + result.Stdout)}");
        string json = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return JsonSerializer.Deserialize<AssertionOutcome>(json, Protocol.Json)
            ?? throw new HeapgateException($"heapgate assert printed no outcome: {Tail(result.Stdout)}");
    }

    internal static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        string cleaned = new string(chars).TrimStart('.', '_');
        return cleaned.Length == 0 ? "checkpoint" : cleaned[..Math.Min(cleaned.Length, 60)];
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 6))).Trim();
    }
}
