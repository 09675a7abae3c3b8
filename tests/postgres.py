"""A real PostgreSQL server for the tests, started by them: Debian's `postgresql` package,
`initdb` into a fresh folder, `pg_ctl start` on a free port, stopped and deleted at the end.

PostgreSQL refuses to run as root: as root (CI), the server runs as the package's `postgres`
user, in a folder that user owns.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from servers import free_port


def binaries():
    """Return the folder of PostgreSQL's server programs, or None if it is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def missing():
    """Return why no PostgreSQL server can be started here, or None."""
    if binaries() is None:
        return "no PostgreSQL server (Debian package postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and no postgres user to run the server as"
    return None


class PostgresServer:
    """One PostgreSQL server on loopback; `url(name)` gives a fresh database's SQLAlchemy URL."""

    def __init__(self):
        self.bin = binaries()
        self.folder = Path(tempfile.mkdtemp(prefix="guide-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "guide", "--no-sync",
                 "-E", "UTF8")
        self.start()
        self.created = 0

    def run(self, program, *args):
        """Run one of the server's programs (as postgres when we are root)."""
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, cwd=self.folder, capture_output=True, timeout=120)

    def start(self):
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "start", "-w", "-D", str(self.data), "-o", options,
                 "-l", str(self.folder / "server.log"))

    def stop(self):
        """Stop the server at once (connections are cut)."""
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def url(self, name=None):
        """Create a new database and return its URL (the server's default one if name is '')."""
        if name is None:
            self.created += 1
            name = f"guide_{self.created}"
            self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "guide", name)
        return f"postgresql+psycopg://guide@127.0.0.1:{self.port}/{name or 'postgres'}"

    def close(self):
        """Stop the server and delete its folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
