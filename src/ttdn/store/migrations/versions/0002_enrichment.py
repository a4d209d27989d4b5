"""enrichment: stories, vector index, enrichment bookkeeping

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import pgvector.sqlalchemy
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("enrich_error", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("tone_evidence", postgresql.JSONB(), nullable=True))
    op.create_index("ix_articles_enriched_at", "articles", ["enriched_at"])
    op.execute(
        "CREATE INDEX ix_articles_embedding ON articles USING hnsw (embedding halfvec_cosine_ops) "
        "WHERE embedding IS NOT NULL"
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("countries", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("tone_sum", sa.Float(), server_default="0", nullable=False),
        sa.Column("tone_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("centroid", pgvector.sqlalchemy.HALFVEC(dim=384), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.add_column("stories", sa.Column("lang_counts", postgresql.JSONB(), server_default="{}", nullable=False))
    op.add_column("stories", sa.Column("title_article_id", sa.BigInteger(), nullable=True))
    op.add_column("stories", sa.Column("title_similarity", sa.Float(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_index("ix_stories_last_seen", table_name="stories")
    op.drop_table("stories")
    op.execute("DROP INDEX IF EXISTS ix_articles_embedding")
    op.drop_index("ix_articles_enriched_at", table_name="articles")
    op.drop_column("articles", "tone_evidence")
    op.drop_column("articles", "enrich_error")
