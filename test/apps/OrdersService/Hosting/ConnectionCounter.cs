using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;

namespace OrdersService.Hosting;

/// <summary>Counts open client connections, so a checkpoint can wait until the load has gone.</summary>
public sealed class ConnectionCounter
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        Interlocked.Increment(ref _open);
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
