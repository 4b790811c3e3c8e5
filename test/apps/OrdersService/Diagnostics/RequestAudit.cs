using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OrdersService.Diagnostics;

/// <summary>One request as the audit trail remembers it.</summary>
public sealed class RequestAudit(string method, string path, int status, double milliseconds, HttpContext? context)
{
    public string Method { get; } = method;
    public string Path { get; } = path;
    public int Status { get; } = status;
    public double Milliseconds { get; } = milliseconds;
    /// <summary>Set only with the <c>static-request-list</c> leak on: the request itself, kept for "debugging".</summary>
    public HttpContext? Context { get; } = context;
}

/// <summary>
/// Middleware: records each request in a bounded ring of summaries. With the
/// <c>static-request-list</c> leak on it also appends every request, with its HttpContext, to a
/// static list that nothing ever clears.
/// </summary>
public sealed class RequestAuditMiddleware(RequestDelegate next, LeakSwitches leaks)
{
    private const int Capacity = 64;
    private static readonly RequestAudit?[] s_recent = new RequestAudit?[Capacity];
    private static readonly List<RequestAudit> s_all = new();
    private static readonly Lock s_lock = new();
    private static long s_count;
    private readonly bool _leak = leaks.IsOn(LeakSwitches.StaticRequestList);

    public static long Count => Interlocked.Read(ref s_count);

    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        await next(context);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var audit = new RequestAudit(context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode, ms, _leak ? context : null);
        lock (s_lock)
        {
            s_recent[s_count % Capacity] = audit;
            s_count++;
            if (_leak) s_all.Add(audit); // the mistake: an unbounded static list holding request objects
        }
    }
}
