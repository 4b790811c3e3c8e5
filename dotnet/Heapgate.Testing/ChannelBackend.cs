using System;
using System.IO;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Heapgate.Testing;

/// <summary>
/// Talks to <c>heapgate test</c> over the channel it names in HEAPGATE_CHANNEL: a Unix domain
/// socket, or a named pipe on Windows. One connection per process, one request at a time.
/// </summary>
internal sealed class ChannelBackend(string address) : IHeapgateBackend
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private StreamReader? _reader;
    private StreamWriter? _writer;
    private int _nextId;

    public async Task<HeapCheckpoint> CheckpointAsync(string name, string? test, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["op"] = "checkpoint", ["name"] = name, ["pid"] = Environment.ProcessId };
        if (test is not null) request["test"] = test;
        Reply reply = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        CheckpointReply cp = reply.Checkpoint ?? throw new HeapgateException("heapgate test answered a checkpoint without one");
        return new HeapCheckpoint(cp.Name, cp.Id, cp.File, cp.Objects, cp.Bytes, TimeSpan.FromMilliseconds(cp.CollectMs + cp.ReadMs), test);
    }

    public async Task<AssertionOutcome> AssertAsync(AssertionSpec spec, HeapCheckpoint? from, HeapCheckpoint to, string? test, string description, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "assert",
            ["description"] = description,
            ["assertion"] = spec.ToJson(),
            ["head"] = to.Id,
        };
        if (from is not null) request["base"] = from.Id;
        if (test is not null) request["test"] = test;
        Reply reply = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return reply.Outcome ?? throw new HeapgateException("heapgate test answered an assertion without an outcome");
    }

    private async Task<Reply> SendAsync(JsonObject request, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is null) await ConnectAsync(cancellationToken).ConfigureAwait(false);
            return await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Reply> ExchangeAsync(JsonObject request, CancellationToken cancellationToken)
    {
        int id = ++_nextId;
        request["id"] = id;
        await _writer!.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken).ConfigureAwait(false);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        string? line = await _reader!.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new HeapgateException($"heapgate test closed its channel ({address}) before answering");
        Reply reply = JsonSerializer.Deserialize<Reply>(line, Protocol.Json)
            ?? throw new HeapgateException($"heapgate test sent an empty answer: {line}");
        if (!reply.Ok) throw new HeapgateException($"heapgate: {reply.Error}");
        if (reply.Id != id) throw new HeapgateException($"heapgate test answered request {reply.Id}, expected {id}");
        return reply;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                const string prefix = @"\\.\pipe\";
                var pipe = new NamedPipeClientStream(".", address.StartsWith(prefix, StringComparison.Ordinal) ? address[prefix.Length..] : address,
                    PipeDirection.InOut, PipeOptions.Asynchronous);
                await pipe.ConnectAsync(10_000, cancellationToken).ConfigureAwait(false);
                stream = pipe;
            }
            else
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(address), cancellationToken).ConfigureAwait(false);
                stream = new NetworkStream(socket, ownsSocket: true);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
        {
            throw new HeapgateException(
                $"cannot reach heapgate test at {address} ({Protocol.ChannelEnv}): {ex.Message}. Is `heapgate test` still running?", ex);
        }
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        _reader = new StreamReader(stream, utf8);
        _writer = new StreamWriter(stream, utf8) { NewLine = "\n" };
        var hello = new JsonObject { ["op"] = "hello", ["protocol"] = Protocol.Version, ["library"] = $"Heapgate.Testing {typeof(ChannelBackend).Assembly.GetName().Version}" };
        await ExchangeAsync(hello, cancellationToken).ConfigureAwait(false);
    }
}
