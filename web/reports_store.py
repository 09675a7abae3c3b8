"""Where reader reports are kept: SQLite in the instance folder by default, PostgreSQL when
GUIDE_DATABASE_URL names one (several app machines behind a load balancer share it).

One schema for both, in SQLAlchemy Core; the two dialects differ only in how "insert unless it
exists" and "add one to a counter" are spelled, and SQLAlchemy spells both. What is stored of a
report: its id (made by the phone), language, page, section, text, the revision of the page the
reader saw, and the hour it arrived. Nothing that identifies a reader: the rate limit counts
under a salted hash of the client's address, the salt is random per day and deleted with its
day, and the count is never kept with a report.
"""

import contextlib
import datetime
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

metadata = MetaData()

reports = Table(
    "reports", metadata,
    Column("id", String(36), primary_key=True),
    Column("lang", String(8), nullable=False),
    Column("page", String(64), nullable=False),
    Column("section", String(128), nullable=False),
    Column("text", Text, nullable=False),
    Column("revision", String(64), nullable=False),
    Column("received", DateTime, nullable=False),  # UTC, to the hour
    # The editors' side (flask reports close): when it was dealt with, and how.
    Column("closed", DateTime),
    Column("note", Text),
)

#: Reports received per (hashed client, hour): what the rate limit counts.
hits = Table(
    "report_hits", metadata,
    Column("client", String(64), primary_key=True),
    Column("hour", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

#: One random salt per UTC day, shared by every app process and machine.
salts = Table(
    "report_salts", metadata,
    Column("day", Date, primary_key=True),
    Column("salt", String(64), nullable=False),
)

#: The advisory lock that PostgreSQL clients hold while they create the tables.
CREATE_LOCK = 71_600_2026

#: The fields a report carries, in the order the API names them.
FIELDS = ("id", "lang", "page", "section", "text", "revision")


class UnavailableError(Exception):
    """The database is down, locked or full: the phone keeps the report and tries again."""


class ConflictError(Exception):
    """A report id already stored with other content."""


class LimitedError(Exception):
    """Too many reports from one client this hour."""


@dataclass(frozen=True)
class Report:
    """A reader's report, as checked by web/reports.py."""

    id: str
    lang: str
    page: str
    section: str
    text: str
    revision: str


def now():
    """Return the current UTC time, naive (both databases store it so)."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def this_hour(moment=None):
    """Return a time (by default now) truncated to its hour: a report's time says no more."""
    return (moment or now()).replace(minute=0, second=0, microsecond=0)


def make_engine(url):
    """Return an engine for a database URL; SQLite waits for its lock and takes writes at once.

    SQLite: BEGIN IMMEDIATE, so that two writers queue for the lock (the busy timeout) instead
    of one failing when it upgrades a read lock. WAL (reads never wait for a write) is switched
    on once, by Store.create: it stays in the file.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10})

        @event.listens_for(engine, "connect")
        def on_connect(connection, record):
            connection.isolation_level = None  # SQLAlchemy's "begin" below opens transactions

        @event.listens_for(engine, "begin")
        def on_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """The reports database: add (once per id), the rate limit, and the editors' commands."""

    def __init__(self, url, limit_per_hour):
        self.engine = make_engine(url)
        self.limit = limit_per_hour
        self.dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        self.ready = False
        self.salt = None  # (day, salt): the day's salt, read once a day by each process

    def create(self):
        """Create the tables if they are missing (the schema's one version). Processes that
        start together take turns: PostgreSQL's advisory lock, SQLite's write lock."""
        if self.dialect is sqlite:
            self._wal()
        try:
            with self.engine.begin() as db:
                if self.dialect is postgresql:
                    db.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CREATE_LOCK})")
                metadata.create_all(db)
        except DBAPIError as error:
            raise UnavailableError(str(error.orig)) from error
        self.ready = True

    def _wal(self):
        """Switch SQLite to WAL. Two processes starting at once race for it: the switch needs
        the file to itself and fails at once, without waiting, if the other holds a lock (a
        first report then got a 503). The loser goes on: the mode is kept in the file, and the
        other process is switching it."""
        try:
            with self.engine.connect() as db:
                db.exec_driver_sql("PRAGMA journal_mode=WAL")
        except DBAPIError:
            pass

    @contextlib.contextmanager
    def transaction(self):
        """Run a block in one transaction (tables made first if needed); a database that can't
        answer raises UnavailableError."""
        if not self.ready:
            self.create()
        try:
            with self.engine.begin() as db:
                yield db
        except DBAPIError as error:
            raise UnavailableError(str(error.orig)) from error

    def add(self, report, client):
        """Store a report once; return True if it is new, False if this id was stored before
        with the same content. Raise ConflictError (same id, other content), LimitedError (the
        client's hour is full) or UnavailableError (the database can't answer now)."""
        moment = now()
        key = hashlib.sha256(f"{self._salt(moment.date())}|{client}".encode()).hexdigest()
        with self.transaction() as db:
            if self._same(db, report):
                return False
            if self._count(db, key, int(moment.timestamp() // 3600)) > self.limit:
                raise LimitedError()  # the transaction's count is undone with it
            row = {name: getattr(report, name) for name in FIELDS}
            inserted = db.execute(self.dialect.insert(reports).values(
                **row, received=this_hour(moment)).on_conflict_do_nothing(index_elements=["id"])
                .returning(reports.c.id)).first()
            if inserted:  # (rowcount is not told by every driver for an INSERT)
                return True
            # Another request stored this id between our look and our insert.
            if self._same(db, report):
                return False
            raise ConflictError()

    def _same(self, db, report):
        """Whether the id is stored; raise ConflictError if it is, with other content."""
        stored = db.execute(select(*[reports.c[n] for n in FIELDS])
                            .where(reports.c.id == report.id)).first()
        if stored is None:
            return False
        if tuple(stored) != tuple(getattr(report, n) for n in FIELDS):
            raise ConflictError()
        return True

    def _count(self, db, key, hour):
        """Add one to a client's count for an hour and return it (key: the client's address
        hashed with the day's salt); older hours are deleted as the new one starts."""
        counted = db.execute(self.dialect.insert(hits).values(client=key, hour=hour, count=1)
                             .on_conflict_do_update(index_elements=["client", "hour"],
                                                    set_={"count": hits.c.count + 1})
                             .returning(hits.c.count)).scalar_one()
        if counted == 1:
            db.execute(delete(hits).where(hits.c.hour < hour))
        return counted

    def _salt(self, day):
        """Return a day's salt, made by whichever process asks first (older ones are deleted).
        Read in a transaction of its own, before a report's: a salt kept in memory is then one
        every process reads, never one a report's rollback took back."""
        if self.salt and self.salt[0] == day:
            return self.salt[1]
        with self.transaction() as db:
            db.execute(self.dialect.insert(salts).values(day=day, salt=secrets.token_hex(32))
                       .on_conflict_do_nothing(index_elements=["day"]))
            db.execute(delete(salts).where(salts.c.day < day))
            salt = db.execute(select(salts.c.salt).where(salts.c.day == day)).scalar_one()
        self.salt = (day, salt)
        return salt

    # The editors' commands (web/reports_cli.py).

    def find(self, *, open_only=False, lang=None, page=None):
        """Return the reports, oldest first, as dicts; filtered as asked."""
        query = select(reports).order_by(reports.c.received, reports.c.id)
        if open_only:
            query = query.where(reports.c.closed.is_(None))
        if lang:
            query = query.where(reports.c.lang == lang)
        if page:
            query = query.where(reports.c.page == page)
        with self.transaction() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def get(self, report_id):
        """Return one report as a dict, or None."""
        with self.transaction() as db:
            row = db.execute(select(reports).where(reports.c.id == report_id)).first()
        return row and dict(row._mapping)

    def close(self, report_id, note):
        """Mark a report dealt with; return whether it exists."""
        with self.transaction() as db:
            changed = db.execute(update(reports).where(reports.c.id == report_id)
                                 .values(closed=this_hour(), note=note))
        return changed.rowcount == 1

    def prune(self, days):
        """Delete closed reports received more than `days` days ago; return how many."""
        cutoff = now() - datetime.timedelta(days=days)
        with self.transaction() as db:
            gone = db.execute(delete(reports).where(reports.c.closed.is_not(None),
                                                    reports.c.received < cutoff))
        return gone.rowcount

    def dispose(self):
        """Close the engine's connections."""
        self.engine.dispose()
