"""Servers that give any agent a gatedmem memory: an MCP server (``gatedmem mcp``) and an
OpenAI-compatible memory proxy with a REST API (``gatedmem serve``). Each needs its extra
(``gatedmem[mcp]``, ``gatedmem[serve]``); nothing here is imported by the memory itself."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
