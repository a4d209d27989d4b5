"""Quality gate for stories as users get them: the online stage over PostgreSQL.

The labelled stories set is imported as articles, embedded and assigned by the same
stages ``ttdn enrich`` runs; NMI and ARI against the labels must stay above their floors.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sqlalchemy import select

from ttdn.pipeline import understand
from ttdn.pipeline.enrich import enrich
from ttdn.pipeline.topology import ingest
from ttdn.records import RawArticle
from ttdn.settings import Settings
from ttdn.store import Store
from ttdn.store.tables import Article

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def test_online_stories_in_the_database_match_the_labels(store: Store, settings: Settings) -> None:
    rows = [json.loads(line) for line in (FIXTURES / "labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    raws = [
        RawArticle(
            url=f"https://stories.example/{row['id']}",
            title=row["title"],
            text=row.get("text", ""),
            lang_hint=row.get("lang"),
            published_at=datetime.fromisoformat(row["published_at"]),
            origin=row["id"],
        )
        for row in rows
    ]
    ingest(raws, store, settings)
    stages = [("embedding", understand.embed(settings)), ("story", understand.stories(settings, store.stories))]
    assert enrich(store, stages, batch_size=16).failed == 0
    with store.database.engine.connect() as conn:
        story_of = {url.rsplit("/", 1)[-1]: sid for url, sid in conn.execute(select(Article.url, Article.story_id))}
    truth = [row["story"] for row in rows]
    predicted = [story_of[row["id"]] for row in rows]
    floors = json.loads((FIXTURES / "baseline_db.json").read_text())
    nmi = normalized_mutual_info_score(truth, predicted)
    ari = adjusted_rand_score(truth, predicted)
    print(f"stories in the database: NMI {nmi:.3f} ARI {ari:.3f} clusters {len(set(predicted))}/{len(set(truth))}")
    assert nmi >= floors["nmi"] and ari >= floors["ari"]
    assert len(set(predicted)) <= floors["max_cluster_ratio"] * len(set(truth))
