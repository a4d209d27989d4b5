"""search: folded full text on articles, saved searches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # search_text is folded in Python (NFC, one tone-mark placement, no diacritics, CJK spaced):
    # PostgreSQL's unaccent cannot do tone-mark placement, so the tsvector is built over it.
    op.add_column("articles", sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    op.add_column(
        "articles",
        sa.Column(
            "search_tsv",
            postgresql.TSVECTOR(),
            sa.Computed("to_tsvector('simple', search_text)", persisted=True),
            nullable=True,
        ),
    )
    op.create_index("ix_articles_search_tsv", "articles", ["search_tsv"], postgresql_using="gin")
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("filters", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("saved_searches")
    op.drop_index("ix_articles_search_tsv", table_name="articles")
    op.drop_column("articles", "search_tsv")
    op.drop_column("articles", "search_text")
