"""A throttling TCP proxy on 127.0.0.1: one shared link with a bandwidth and a round-trip time.

Emulating the network inside the page does not slow the service worker's own downloads, so the
benchmark puts this proxy between Chromium and the server: every byte, from the page or the
worker, crosses the same slow link. Each direction delays data by half the RTT and then queues
it on a link of the given bandwidth shared by all connections, as a real 3G cell would.
"""

import asyncio
import threading


class Link:
    """One direction of the link: a serial pipe of `rate` bytes/s after a one-way delay."""

    def __init__(self, rate, delay):
        self.rate, self.delay = rate, delay
        self.free_at = 0.0
        self.bytes = 0

    def schedule(self, size, arrived):
        """Return when a chunk that arrived at `arrived` has fully crossed the link."""
        start = max(arrived + self.delay, self.free_at)
        self.free_at = start + size / self.rate
        self.bytes += size
        return self.free_at


async def pump(reader, writer, link):
    """Copy one direction of a connection through a Link."""
    loop = asyncio.get_running_loop()
    try:
        while chunk := await reader.read(16384):
            done = link.schedule(len(chunk), loop.time())
            await asyncio.sleep(max(0.0, done - loop.time()))
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


class ThrottledProxy:
    """Run the proxy in a background thread; `url` is where Chromium should connect."""

    def __init__(self, upstream_port, kbit_per_s, rtt_ms):
        rate = kbit_per_s * 1000 / 8
        self.down = Link(rate, rtt_ms / 2000)
        self.up = Link(rate, rtt_ms / 2000)
        self.upstream_port = upstream_port
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        self.ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    async def _connection(self, client_reader, client_writer):
        # The TCP handshake to a real server costs one round trip before any byte moves.
        await asyncio.sleep(self.down.delay + self.up.delay)
        server_reader, server_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port)
        await asyncio.gather(pump(client_reader, server_writer, self.up),
                             pump(server_reader, client_writer, self.down))

    def _run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    def stop(self):
        """Stop the proxy's event loop."""
        self.loop.call_soon_threadsafe(self.loop.stop)

