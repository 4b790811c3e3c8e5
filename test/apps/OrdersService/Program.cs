// OrdersService: a small ASP.NET Core orders API with seeded leaks, driven under load by
// drive.mjs and snapshotted with heapgate's checkpoint protocol.
//
//   dotnet OrdersService.dll upstream
//   dotnet OrdersService.dll orders --upstream <url> [--leak name[,name]] [--db <file>]
//
// Both modes listen on 127.0.0.1 with a port the system picks, print "<mode>:listening <url>" on
// stdout, and exit 0 on "exit" or end of standard input.
// orders also prints "heapgate:pid <pid>" first, and on the stdin line "checkpoint <label>" waits
// until no client connection is open, forces full blocking GCs and prints
// "heapgate:checkpoint <label>" (see Hosting/Checkpoint.cs).
// Exit code 2 for bad arguments.

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OrdersService;
using OrdersService.Data;
using OrdersService.Diagnostics;
using OrdersService.Hosting;
using OrdersService.Orders;
using OrdersService.Pricing;

string mode = args.Length > 0 ? args[0] : "";
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 1; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
        return Usage($"unexpected argument '{args[i]}'");
    options[args[i][2..]] = args[++i];
}

switch (mode)
{
    case "upstream":
        return await RunUpstreamAsync();
    case "orders":
        if (!options.TryGetValue("upstream", out string? upstream) || !Uri.TryCreate(upstream, UriKind.Absolute, out Uri? upstreamUri))
            return Usage("orders needs --upstream <url>");
        string[] leaks = options.TryGetValue("leak", out string? leakList)
            ? leakList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        string? unknown = leaks.FirstOrDefault(l => !LeakSwitches.Names.Contains(l));
        if (unknown is not null)
            return Usage($"unknown leak '{unknown}' (known: {string.Join(", ", LeakSwitches.Names)})");
        int catalogMb = 0;
        if (options.TryGetValue("catalog-mb", out string? mb) && (!int.TryParse(mb, out catalogMb) || catalogMb < 0))
            return Usage($"--catalog-mb expects a number of megabytes, got '{mb}'");
        return await RunOrdersAsync(upstreamUri, new LeakSwitches(leaks), options.GetValueOrDefault("db"), catalogMb);
    default:
        return Usage(mode.Length == 0 ? "no mode given" : $"unknown mode '{mode}'");
}

static int Usage(string message)
{
    Console.Error.WriteLine($"OrdersService: {message}");
    Console.Error.WriteLine("usage: OrdersService upstream | orders --upstream <url> [--leak name[,name]] [--db <file>] [--catalog-mb N]");
    return 2;
}

static WebApplicationBuilder CreateBuilder(ConnectionCounter? counter)
{
    WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
    {
        if (counter is not null) listen.Use(counter.Wrap);
    }));
    // Structured (JSON) logs, all to stderr: stdout carries the checkpoint protocol.
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(json => json.IncludeScopes = false);
    builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    builder.Logging.SetMinimumLevel(LogLevel.Information);
    builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
    builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
    return builder;
}

static string ListeningAddress(WebApplication app) =>
    app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

/// <summary>Reads stdin until "exit" or end of input; hands every other line to <paramref name="onCommand"/>.</summary>
static async Task ServeCommandsAsync(Action<string> onCommand)
{
    while (true)
    {
        string? line = await Console.In.ReadLineAsync();
        if (line is null || line.Trim() == "exit") return;
        if (line.Trim().Length > 0) onCommand(line.Trim());
    }
}

static async Task<int> RunUpstreamAsync()
{
    WebApplicationBuilder builder = CreateBuilder(null);
    WebApplication app = builder.Build();
    long reservations = 0;
    app.MapGet("/prices/{sku}", (string sku) =>
    {
        int hash = sku.Aggregate(17, (h, c) => unchecked(h * 31 + c));
        return Results.Ok(new PriceQuote(sku, 5m + (hash & 0x3ff) / 8m));
    });
    app.MapPost("/stock/{sku}/reserve", (string sku, int quantity) =>
    {
        long id = Interlocked.Increment(ref reservations);
        return Results.Ok(new StockReservation("R" + id.ToString(CultureInfo.InvariantCulture), sku, quantity));
    });
    await app.StartAsync();
    Console.Out.WriteLine("upstream:listening " + ListeningAddress(app));
    Console.Out.Flush();
    await ServeCommandsAsync(command => Console.Error.WriteLine($"OrdersService upstream: unknown command '{command}'"));
    await app.StopAsync();
    return 0;
}

static async Task<int> RunOrdersAsync(Uri upstream, LeakSwitches leaks, string? dbFile, int catalogMb)
{
    Console.Out.WriteLine($"heapgate:pid {Environment.ProcessId}");
    Console.Out.Flush();

    bool ownDb = dbFile is null;
    dbFile ??= Path.Combine(Path.GetTempPath(), $"heapgate-orders-{Environment.ProcessId}.db");
    var counter = new ConnectionCounter();
    WebApplicationBuilder builder = CreateBuilder(counter);
    IServiceCollection services = builder.Services;
    services.AddSingleton(leaks);
    services.AddSingleton(counter);
    services.AddDbContext<OrdersDbContext>(db => db.UseSqlite($"Data Source={dbFile}"));
    services.AddMemoryCache(cache => cache.ExpirationScanFrequency = TimeSpan.FromSeconds(1));
    services.AddHttpClient<PricingClient>(http => http.BaseAddress = upstream);
    services.AddHttpClient<StockClient>(http => http.BaseAddress = upstream);
    services.AddSingleton<PriceBoard>();
    services.AddSingleton(new ProductCatalog(catalogMb));
    services.AddSingleton<RecentOrderActivity>();
    services.AddSingleton<OrderStats>();
    services.AddSingleton<OrderFollowUp>();
    services.Configure<PricingOptions>(pricing => pricing.MaxDiscount = 0.1m);
    services.AddScoped<OrderUnitOfWork>();
    services.AddScoped<OrderPriceWatcher>();
    services.AddHostedService<OrderStatsService>();

    WebApplication app = builder.Build();
    using (IServiceScope scope = app.Services.CreateScope())
    {
        OrdersDbContext db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        db.Database.EnsureDeleted();
        db.Database.EnsureCreated();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    }
    app.UseMiddleware<RequestAuditMiddleware>();
    app.MapOrders();
    app.MapGet("/health", () => Results.Ok(new { status = "ok", leaks = leaks.ToString() }));

    await app.StartAsync();
    ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersService");
    logger.LogInformation("Orders service listening on {Address}, upstream {Upstream}, leaks {Leaks}", ListeningAddress(app), upstream, leaks);
    Console.Out.WriteLine("orders:listening " + ListeningAddress(app));
    Console.Out.Flush();

    await ServeCommandsAsync(command =>
    {
        if (command.StartsWith("checkpoint ", StringComparison.Ordinal))
            Checkpoint.Reach(command["checkpoint ".Length..].Trim(), counter);
        else
            Console.Error.WriteLine($"OrdersService: unknown command '{command}' (expected 'checkpoint <label>' or 'exit')");
    });

    await app.StopAsync();
    StockClient.DisposeCreatedClients();
    if (ownDb)
    {
        SqliteConnection.ClearAllPools();
        foreach (string file in new[] { dbFile, dbFile + "-wal", dbFile + "-shm" })
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }
    return 0;
}
