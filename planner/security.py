"""Response headers a reviewer expects: CSP without inline code, framing, HSTS.

Written out instead of pulling in Flask-Talisman: the policy is a handful of headers and
the app has no inline scripts or styles to make exceptions for. ``docs/security.md``
says what each header protects against.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Everything from this origin only; no inline scripts or styles, no plugins, no framing.
#: ``data:`` images are the QR codes and route sketches embedded as data URLs.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

#: One year, as browsers' preload lists expect; sent only over HTTPS.
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    """Add the headers to every response; HSTS and secure cookies when served over HTTPS.

    ``SECURE_COOKIES`` (on by default outside debug and testing when the app is told it
    runs behind HTTPS via ``PREFERRED_URL_SCHEME = "https"``) marks the session and
    remember-me cookies Secure.
    """
    if app.config.get("SECURE_COOKIES") is None:
        app.config["SECURE_COOKIES"] = app.config.get("PREFERRED_URL_SCHEME") == "https"
    if app.config["SECURE_COOKIES"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
