"""For developers: generate the next numbered Alembic revision from the models.

python -m gatedmem.memory.migrate_dev "add a column"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from .migrate import alembic_config, upgrade_to_head
from .storage import make_engine


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'dev.db'}")
        cfg = alembic_config(engine)
        script = ScriptDirectory.from_config(cfg)
        if script.get_current_head() is not None:
            upgrade_to_head(engine)
        number = len(list(script.walk_revisions())) + 1
        slug = "_".join(message.lower().split())[:40]
        rev = f"{number:04d}"
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev)
        for path in (Path(script.dir) / "versions").glob(f"{rev}_*.py"):
            path.rename(path.with_name(f"{rev}_{slug}.py"))


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "change")
