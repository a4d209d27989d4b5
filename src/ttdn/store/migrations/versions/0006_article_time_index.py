"""index on an article's time (published, else collected); embeddings kept inline

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Pages count and chart articles by COALESCE(published_at, collected_at) (story growth,
    # timelines, the dashboard): without this index each of them read the whole table.
    op.create_index("ix_articles_time", "articles", [sa.text("COALESCE(published_at, collected_at)")], unique=False)
    op.execute("ANALYZE articles")  # the planner has no statistics on the new expression until then
    # pgvector's advice: a vector stored inline (never moved to TOAST) is read with its row;
    # out of line, every distance computed from the table costs a TOAST lookup. New and
    # rewritten rows follow it.
    op.execute("ALTER TABLE articles ALTER COLUMN embedding SET STORAGE PLAIN")


def downgrade() -> None:
    op.execute("ALTER TABLE articles ALTER COLUMN embedding SET STORAGE EXTERNAL")
    op.drop_index("ix_articles_time", table_name="articles")
