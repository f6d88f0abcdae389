"""Streamable HTTP transport: `/mcp` on loopback, DNS-rebinding protection on, optional bearer token."""

from __future__ import annotations

import hmac
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BearerTokenMiddleware", "build_http_app", "serve_http"]

_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class BearerTokenMiddleware:
    """Answers 401 unless the request carries `Authorization: Bearer <token>` (constant-time compare)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"authorization", b"")
        if not hmac.compare_digest(given, self._expected):
            body = b'{"error":"unauthorized","error_description":"missing or wrong bearer token"}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b'Bearer realm="pgsage"'),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _security(host: str, port: int) -> TransportSecuritySettings:
    names = {*_LOOPBACK_NAMES, host}
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[f"{name}:{port}" for name in names] + list(names),
        allowed_origins=[f"http://{name}:{port}" for name in names],
    )


def build_http_app(server: MCPServer[Any], *, host: str, port: int, auth_token: str | None) -> ASGIApp:
    app: ASGIApp = server.streamable_http_app(
        streamable_http_path="/mcp", transport_security=_security(host, port), host=host
    )
    if auth_token:
        app = BearerTokenMiddleware(app, auth_token)
    return app


def serve_http(server: MCPServer[Any], *, host: str, port: int, auth_token: str | None) -> None:
    app = build_http_app(server, host=host, port=port, auth_token=auth_token)
    # The Starlette app's lifespan runs the session manager, which enters pgsage's lifespan once.
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on")
