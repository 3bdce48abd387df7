"""user names in Unicode normal form C

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 13:45:00

A user name is now read in normal form C ("José" typed as one character or as "e" and a
combining accent is one user). Names stored otherwise are rewritten; where both forms
hold memories, they are one person's, and the other form's memories, history and turns
join the name in normal form C.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    users = conn.execute(sa.text("SELECT id, name FROM users ORDER BY id")).all()
    ids = {name: uid for uid, name in users}
    for uid, name in users:
        nfc = unicodedata.normalize("NFC", name)
        if nfc == name:
            continue
        keep = ids.get(nfc)
        if keep is None:
            conn.execute(sa.text("UPDATE users SET name = :n WHERE id = :i"), {"n": nfc, "i": uid})
            ids[nfc] = uid
            continue
        moved = {"keep": keep, "gone": uid}
        conn.execute(sa.text("UPDATE memories SET user_id = :keep WHERE user_id = :gone"), moved)
        conn.execute(sa.text("UPDATE events SET user_id = :keep WHERE user_id = :gone"), moved)
        gone = conn.execute(
            sa.text("SELECT turns, created_at FROM users WHERE id = :gone"), moved
        ).one()
        conn.execute(
            sa.text(
                "UPDATE users SET turns = turns + :turns, version = version + 1, "
                "created_at = CASE WHEN created_at <= :at THEN created_at ELSE :at END "
                "WHERE id = :keep"
            ),
            {**moved, "turns": gone.turns or 0, "at": gone.created_at},
        )
        conn.execute(sa.text("DELETE FROM users WHERE id = :gone"), moved)


def downgrade() -> None:
    # Names stay in normal form C and joined users stay joined: which form each memory came
    # from was not kept.
    pass
