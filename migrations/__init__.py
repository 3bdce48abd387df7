"""Alembic migrations of the gatedmem schema (shipped as ``gatedmem.migrations``)."""
