"""A TCP proxy on 127.0.0.1 that cuts the link in the middle of one kind of response.

Between Chromium and the test server: until heal() is called, each answer to a request for
`path` is forwarded for `after` bytes, then the link stalls and drops (both sides reset), as a
failing cell link does. The page may ask for the pack too (a prefetch): every such request is
cut, so the worker's is whichever comes. After heal(), everything goes through untouched.
"""

import asyncio
import threading


class CutProxy:
    """Run the proxy in a background thread; `url` is where the browser connects."""

    def __init__(self, upstream_port, path, after, stall=1.0):
        self.upstream_port, self.path, self.after = upstream_port, path.encode(), after
        self.stall = stall
        self.cuts = 0
        self.healed = False
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    async def _connection(self, client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1",
                                                                      self.upstream_port)
        armed = asyncio.Event()

        async def up():
            while data := await client_reader.read(65536):
                if not self.healed and b"GET " + self.path in data:
                    armed.set()
                server_writer.write(data)
                await server_writer.drain()
            server_writer.close()

        async def down():
            sent = 0
            while data := await server_reader.read(4096):
                if armed.is_set():
                    if sent + len(data) >= self.after:
                        client_writer.write(data[:self.after - sent])
                        await client_writer.drain()
                        # The link stalls, then drops: a reset, not a clean close.
                        self.cuts += 1
                        await asyncio.sleep(self.stall)
                        client_writer.transport.abort()
                        server_writer.transport.abort()
                        return
                    sent += len(data)
                client_writer.write(data)
                await client_writer.drain()
            client_writer.close()

        try:
            await asyncio.gather(up(), down())
        except (ConnectionError, OSError):
            pass

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    def heal(self):
        """Let every later request through."""
        self.healed = True

    def stop(self):
        """Stop the proxy's event loop."""
        self.loop.call_soon_threadsafe(self.loop.stop)
