"""Security headers on every response: pages, errors, redirects, static files, sw.js, manifest.

The service worker controls the whole origin on a reader's phone for months, so a script that
got in would stay there offline: a strict Content Security Policy (no inline script or style;
the templates have none) and the usual hardening headers go on every response. They are added by
a WSGI middleware around everything, whitenoise included, so no route can miss them. The same
headers for nginx serving the static export (deploy/nginx/guide-security-headers.conf) are
written from here by nginx_include, and the export's `_headers` by export.headers_file.
"""

#: The policy: only this origin's own files; nothing inline, nothing eval'd, no frames.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
])

#: What the guide never uses; a page that asked for any of these would be a page we did not write.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "usb",
))

HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
)


def policy_for(reports_origin=None):
    """Return the Content Security Policy; a static export whose reports go to an app's origin
    may send them there (the worker's fetch) and post its form there, and nowhere else."""
    if not reports_origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {reports_origin}") + (
        f"; connect-src 'self' {reports_origin}")


def headers_for(*, https, hsts_max_age, reports_origin=None):
    """Return the security headers of a response, with HSTS only over HTTPS (if enabled); with
    reports_origin (a static export's), the policy lets reports go to that origin."""
    headers = [(name, policy_for(reports_origin) if name == "Content-Security-Policy" else value)
               for name, value in HEADERS]
    # HSTS over plain http is ignored by browsers (RFC 6797 8.1) and would only mislead.
    if https and hsts_max_age:
        headers.append(("Strict-Transport-Security",
                        f"max-age={hsts_max_age}; includeSubDomains"))
    return headers


class SecurityHeaders:
    """WSGI middleware: add the security headers to every response."""

    def __init__(self, wsgi_app, *, hsts_max_age=0):
        self.wsgi_app = wsgi_app
        self.plain = headers_for(https=False, hsts_max_age=hsts_max_age)
        self.secure = headers_for(https=True, hsts_max_age=hsts_max_age)

    def __call__(self, environ, start_response):
        """Call the app, adding the headers as it starts its response."""
        extra = self.secure if environ.get("wsgi.url_scheme") == "https" else self.plain

        # Appended, not merged: nothing inside sets these (a test checks each appears once).
        def start(status, headers, exc_info=None):
            return start_response(status, headers + extra, exc_info)

        return self.wsgi_app(environ, start)


#: The header of the nginx include that nginx_include() renders.
NGINX_PREAMBLE = """\
# The guide's security headers for nginx, generated from web/security.py: do not edit by hand.
# `make nginx-headers` rewrites this file; tests/test_deploy_files.py fails when it is stale.
# `always`: on every status, 404 and redirects included. add_header in a location replaces
# the server's, so each location that adds a header includes this file again.
"""


def nginx_include(hsts_max_age, reports_origin=None):
    """Return the HTTPS security headers as nginx add_header lines (deploy/nginx/)."""
    lines = []
    for name, value in headers_for(https=True, hsts_max_age=hsts_max_age,
                                   reports_origin=reports_origin):
        # In nginx a double quote would end the string and a $ would start a variable.
        if '"' in value or "$" in value or "\\" in value:
            raise ValueError(f"{name}: {value!r} cannot be written as an nginx string")
        lines.append(f'add_header {name} "{value}" always;')
    return NGINX_PREAMBLE + "\n".join(lines) + "\n"


def init_app(app):
    """Wrap the app (whitenoise included) so every response carries the headers."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app, hsts_max_age=app.config["HSTS_MAX_AGE"])

