"""Servers that give any agent a gatedmem memory: an MCP server (``gatedmem mcp``) and an
OpenAI-compatible memory proxy with a REST API (``gatedmem serve``). Each needs its extra
(``gatedmem[mcp]``, ``gatedmem[serve]``); nothing here is imported by the memory itself."""
