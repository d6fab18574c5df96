"""A stand-in for the trust's sign-in: RSA keys made here, their JWKS served on a loopback
port by a real HTTP server, and tokens signed with them."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://login.oaks-trust.example"
AUDIENCE = "cpd-workflow"


class Issuer:
    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.fetches = 0
        self.url = ""
        self.add_key("key-1")

    def add_key(self, kid: str, *, publish: bool = True) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)

    def jwks(self) -> dict[str, Any]:
        return {
            "keys": [
                {
                    **RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True),
                    "kid": kid,
                    "use": "sig",
                    "alg": "RS256",
                }
                for kid in self.published
            ]
        }

    def token(
        self, email: str | None, *, kid: str = "key-1", expires_in: int = 300, **claims: Any
    ) -> str:
        now = int(time.time())
        body: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": "subject-1"}
        body |= {"iat": now, "nbf": now, "exp": now + expires_in}
        if email is not None:
            body["email"] = email
        body |= claims
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode(body, self.keys[kid], algorithm="RS256", headers={"kid": kid})


def tampered(token: str, **claims: Any) -> str:
    """The token with its claims changed and its signature kept."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed = base64.urlsafe_b64encode(json.dumps(decoded | claims).encode()).rstrip(b"=")
    return f"{header}.{changed.decode()}.{signature}"


@contextmanager
def serving_keys(issuer: Issuer) -> Iterator[str]:
    """The JWKS address, served from a thread until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the http.server interface
            issuer.fetches += 1
            body = json.dumps(issuer.jwks()).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        issuer.url = f"http://127.0.0.1:{server.server_address[1]}/jwks"
        yield issuer.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
