"""The deploy path as docs/deploy.md gives it, run for real: Debian's nginx with the shipped configs
(deploy/nginx/), gunicorn as documented, and a throwaway certificate authority for HTTPS.

A test may change only what differs from one machine to another: listen addresses, root,
include paths, certificate paths and the upstream's address. `localize` changes exactly those
directives' arguments, line by line, and fails if one it was told to change is not there: the
file that runs is the file shipped.
"""

import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

from web.config import PROJECT_ROOT

NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
DEPLOY = PROJECT_ROOT / "deploy" / "nginx"
DOCS = PROJECT_ROOT / "docs" / "deploy.md"
#: Where docs/deploy.md has the operator copy the snippets that the configs include.
SNIPPETS = "/etc/nginx/snippets/"
#: The origin the documented commands name; the tests serve it on loopback ports.
DOCUMENTED_ORIGIN = "https://guide.example"
INSTALL = "apt-get install nginx libnginx-mod-http-brotli-static"

# What the shipped configs need from Debian's /etc/nginx/nginx.conf (its MIME table, gzip on,
# sendfile), in a temporary prefix so that the test touches nothing of the system's nginx.
MAIN_CONF = """\
user root;  # the export sits in pytest's tmp (mode 700), which www-data could not read
worker_processes 1;
daemon off;  # a child process of the test, which stops it
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
load_module {brotli};
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    gzip on;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site};
}}
"""

#: certbot's webroot in the shipped configs, and the path of its challenges below it.
WEBROOT = "/var/www/letsencrypt"
ACME = ".well-known/acme-challenge"
#: Where the shipped guide.conf serves the export from.
EXPORT_ROOT = "/srv/guide"

DIRECTIVE = re.compile(r"^(?P<indent>\s*)(?P<name>listen|root|include|ssl_certificate|"
                       r"ssl_certificate_key|server)[ \t]+(?P<arg>[^\s;{]+)(?P<rest>[^;\n{]*;)",
                       re.M)


def missing_tools(*commands):
    """Return why the deploy tests cannot run here (a missing program), or None."""
    if not (Path(NGINX).is_file() and os.access(NGINX, os.X_OK)):
        return f"no nginx at {NGINX} ({INSTALL})"
    if not BROTLI_MODULE.is_file():
        return f"no brotli module at {BROTLI_MODULE} ({INSTALL})"
    for command, package in commands:
        if shutil.which(command) is None:
            return f"no {command} (apt-get install {package})"
    return None


def free_port():
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def localize(text, *, listen, certificate, roots, upstream=None, tls=True):
    """Return a shipped config with only the machine-specific arguments changed.

    listen maps a shipped listen address (e.g. "443") to a local one, roots a shipped root
    folder to a local one; includes of the snippets point into deploy/nginx/; certificate is
    (cert, key); upstream when given.
    """
    used = set()

    def change(match):
        name, arg = match["name"], match["arg"]
        if name == "listen":
            new = listen[arg]
        elif name == "include":
            if not arg.startswith(SNIPPETS):
                raise AssertionError(f"include outside {SNIPPETS}: {arg}")
            new = str(DEPLOY / arg.removeprefix(SNIPPETS))
        elif name == "root":
            new = str(roots[arg])
        elif name in ("ssl_certificate", "ssl_certificate_key"):
            new = str(certificate[name == "ssl_certificate_key"])
        else:  # a server line inside the upstream block
            new = upstream
        used.add(f"{name} {arg}" if name in ("listen", "root") else name)
        return f"{match['indent']}{name} {new}{match['rest']}"

    result = DIRECTIVE.sub(change, text)
    wanted = {f"listen {a}" for a in listen} | {f"root {r}" for r in roots}
    if tls:
        wanted |= {"include", "ssl_certificate", "ssl_certificate_key"}
    if upstream is not None:
        wanted.add("server")
    if used != wanted:
        raise AssertionError(f"the config's directives changed: wanted {wanted}, found {used}")
    return result


class LocalCA:
    """A throwaway certificate authority and one server certificate for 127.0.0.1 and localhost.

    Made with openssl in a temporary folder; nothing outside it trusts this CA except what a
    test tells to (Chromium's NSS database, Node's NODE_EXTRA_CA_CERTS, Python's SSL context).
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        self.cert = self.folder / "server.pem"
        self.key = self.folder / "server.key"
        self.ca = self.folder / "ca.pem"
        ca_key = self.folder / "ca.key"
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        self.openssl("req", "-x509", *ec, "-keyout", ca_key, "-out", self.ca, "-days", "2",
                     "-subj", "/CN=Cuba guide test CA (throwaway)",
                     "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        csr = self.folder / "server.csr"
        self.openssl("req", *ec, "-keyout", self.key, "-out", csr, "-subj", "/CN=localhost")
        extensions = self.folder / "server.ext"
        extensions.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                              "basicConstraints=critical,CA:FALSE\n"
                              "keyUsage=critical,digitalSignature\n"
                              "extendedKeyUsage=serverAuth\n", encoding="utf-8")
        self.openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", ca_key,
                     "-CAcreateserial", "-out", self.cert, "-days", "2", "-extfile", extensions)

    @staticmethod
    def openssl(*args):
        """Run one openssl command, failing with its output."""
        subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=60)

    def nss_home(self, home):
        """Make a HOME whose NSS database (~/.pki/nssdb, read by Chromium) trusts this CA."""
        nssdb = Path(home) / ".pki" / "nssdb"
        nssdb.mkdir(parents=True)
        database = f"sql:{nssdb}"
        subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True,
                       capture_output=True, timeout=60)
        subprocess.run(["certutil", "-A", "-d", database, "-n", "cuba-guide-test-ca",
                        "-t", "C,,", "-i", str(self.ca)], check=True, capture_output=True,
                       timeout=60)
        return Path(home)

    def context(self, alpn=("http/1.1",)):
        """Return a client SSL context that trusts this CA only."""
        context = ssl.create_default_context(cafile=str(self.ca))
        context.set_alpn_protocols(list(alpn))
        return context


class Nginx:
    """Debian's nginx in the foreground, as a child process, serving one localized config."""

    def __init__(self, prefix, site, *, wait_for):
        self.prefix = Path(prefix)
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "site.conf").write_text(site, encoding="utf-8")
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(MAIN_CONF.format(prefix=self.prefix, brotli=BROTLI_MODULE,
                                              site=self.prefix / "site.conf"), encoding="utf-8")
        command = [NGINX, "-p", f"{self.prefix}/", "-c", str(self.conf)]
        # -t first: a config error fails the test with nginx's own words.
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise AssertionError(f"nginx -t refused the config:\n{check.stderr}\n{site}")
        self.warnings = check.stderr
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        wait_for_port(wait_for, self.process, self.error_log)

    def error_log(self):
        """Return nginx's error log so far."""
        log = self.prefix / "error.log"
        return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""

    def stop(self):
        """Stop nginx (fast shutdown) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=15)


def wait_for_port(port, process, log, timeout=30):
    """Wait until something accepts connections on 127.0.0.1:port; fail if the process dies."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"exited with {process.returncode}:\n{log()}") from None
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"nothing answered on port {port} in {timeout} s:\n{log()}") from None
            time.sleep(0.1)


def documented_command(program, doc=DOCS):
    """Return (environment, argv) of the one `program …` command line in a document."""
    lines = [line.strip() for line in doc.read_text(encoding="utf-8").splitlines()
             if re.match(rf"^(\w+=\S+ )*(\S*/)?{program} ", line.strip())]
    if len(lines) != 1:
        raise AssertionError(f"{doc.name}: expected one `{program}` command line, found {lines}")
    words = shlex.split(lines[0])
    start = next(i for i, word in enumerate(words) if word.rpartition("/")[2] == program)
    return dict(word.split("=", 1) for word in words[:start]), words[start:]


class Gunicorn:
    """The documented gunicorn command, run from the checkout; only its bind port changes."""

    def __init__(self, port, log):
        self.port, self.log = port, Path(log)
        env, argv = documented_command("gunicorn")
        bind = argv.index("--bind")
        host, _, _ = argv[bind + 1].rpartition(":")
        argv[bind + 1] = f"{host}:{port}"
        argv[0] = str(Path(sys.executable).parent / "gunicorn")  # the checkout's .venv/bin
        self.argv, self.env = argv, env
        with self.log.open("wb") as out:  # a file, not a pipe: nobody has to drain it
            self.process = subprocess.Popen(argv, cwd=PROJECT_ROOT, env={**os.environ, **env},
                                            stdout=out, stderr=subprocess.STDOUT)
        wait_for_port(port, self.process, self.output)
        # The port opens before the workers have loaded the app: wait for an answer.
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch_plain(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not answer:\n{self.output()}")
            time.sleep(0.2)

    def output(self):
        """Return what gunicorn has printed."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self):
        """Stop gunicorn and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


def fetch(port, path, context, *, method="GET", headers=None, host="127.0.0.1"):
    """Send one HTTPS request to 127.0.0.1:port; return (status, headers, body).

    headers is an http.client HTTPMessage: getall-style access with get_all(name).
    """
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=15)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def fetch_plain(port, path, *, headers=None):
    """Send one plain-http request to 127.0.0.1:port; return (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Deployed:
    """A shipped nginx config on loopback ports, over HTTPS, in front of the export or the app.

    Server-like for the offline scenario: .url is the https origin, .stop() stops everything
    (nginx, and gunicorn behind it). The shipped `listen 443` becomes a free port, and so does
    `listen 80` (the http server that redirects to https).
    """

    def __init__(self, config, folder, ca, *, root=None, app=False):
        self.ca = ca
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.gunicorn = Gunicorn(free_port(), folder / "gunicorn.log") if app else None
        try:
            upstream = f"127.0.0.1:{self.gunicorn.port}" if app else None
            # certbot's webroot: the challenge files nginx serves over plain http.
            self.webroot = folder / "letsencrypt"
            (self.webroot / ACME).mkdir(parents=True, exist_ok=True)
            roots = {WEBROOT: self.webroot, **({EXPORT_ROOT: root} if root else {})}
            site = localize(Path(config).read_text(encoding="utf-8"),
                            listen={"443": f"127.0.0.1:{self.https_port}",
                                    "80": f"127.0.0.1:{self.http_port}"},
                            certificate=(ca.cert, ca.key), roots=roots, upstream=upstream)
            self.nginx = Nginx(folder, site, wait_for=self.https_port)
        except BaseException:
            if self.gunicorn:
                self.gunicorn.stop()
            raise

    def get(self, path, **headers):
        """GET a path over HTTPS (HTTP/1.1); return (status, headers, body)."""
        return fetch(self.https_port, path, self.ca.context(), headers=headers)

    def redirects(self):
        """Return (status, Location) of: a folder without its slash, asked with a foreign Host;
        plain http on the http port; plain http sent to the https port."""
        answers = (self.get("/es/about", Host="evil.example"),
                   fetch_plain(self.http_port, "/es/about/?a=1"),
                   fetch_plain(self.https_port, "/es/"))
        return [(status, headers["Location"]) for status, headers, _ in answers]

    def acme_challenge(self, token, content):
        """Put a challenge file where certbot would; return (status, type, body) of it fetched
        over plain http, as the certificate authority fetches it."""
        (self.webroot / ACME / token).write_bytes(content)
        status, headers, body = fetch_plain(self.http_port, f"/{ACME}/{token}")
        return status, headers.get("Content-Type"), body

    def tls(self, context):
        """Return (ALPN protocol, TLS version) of a connection made with an ssl context."""
        with socket.create_connection(("127.0.0.1", self.https_port)) as raw, \
                context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.selected_alpn_protocol(), tls.version()

    def stop(self):
        """Stop nginx, then gunicorn: no server at all is left."""
        self.nginx.stop()
        if self.gunicorn:
            self.gunicorn.stop()
