"""Alembic migrations of the gatedmem schema (shipped as ``memory.migrations``)."""
