"""Generate the bundled demo corpus (``src/ttdn/data/demo/*.jsonl``) from the material here.

    .venv/bin/python scripts/demo_corpus/make_demo_corpus.py

Each story has, per language, a few titles and a pool of body sentences (``material_*.py``).
Article *k* of a (story, language) takes title *k* and a subset of the pool chosen so that two
articles share at most one sentence (the near-duplicate detector would otherwise link them);
the article meant to repeat a false narrative gets that narrative's sentence after its lead.
Dates are stored as ``days_ago`` (the loader turns them into timestamps at load time) spread
over each story's span. The output is deterministic; the generated files are committed and the
package never imports this script.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import material_a  # noqa: E402
import material_b  # noqa: E402
import material_c  # noqa: E402
import material_kb  # noqa: E402

OUT = HERE.parents[1] / "src" / "ttdn" / "data" / "demo"
BASE = "https://demo.ttdn.invalid"
LANGS = ["vi", "en", "fr", "zh", "ru", "ja", "es", "de"]
NO_SPACE = {"zh", "ja"}
VARIANT_LANGS = ["vi", "en", "fr", "zh", "ru", "ja"]  # the order of each narrative's "variants" in material_kb
# body sentence subsets (indices into the pool): any two share at most one sentence
SUBSETS = {6: [(0, 1, 2), (0, 3, 4), (1, 3, 5)], 5: [(0, 1, 2), (0, 3, 4)]}
MAX_JACCARD = 0.4


def stories() -> list[dict]:
    return [*material_a.STORIES, *material_b.STORIES, *material_c.STORIES]


def outlets_by_lang() -> dict[str, list[tuple[str, str, str, str]]]:
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for outlet in material_kb.OUTLETS:
        out.setdefault(outlet[3], []).append(outlet)
    return out


def join(sentences: list[str], lang: str) -> str:
    return ("" if lang in NO_SPACE else " ").join(sentences)


def build_articles() -> list[dict]:
    outlets = outlets_by_lang()
    slug_of = {o[0]: o for o in material_kb.OUTLETS}
    rng = random.Random(20250101)
    articles: list[dict] = []
    for si, story in enumerate(stories()):
        narrative = story.get("narrative") or {}
        planned: list[dict] = []
        for lang in LANGS:
            material = story["langs"][lang]
            titles, pool = material["titles"], material["body"]
            subsets = SUBSETS[len(pool)]
            assert len(titles) == len(subsets), (story["id"], lang)
            repeats = lang in narrative.get("langs", [])
            narrative_outlet = slug_of[material_kb.NARRATIVE_OUTLETS[lang]] if repeats else None
            others = [o for o in outlets[lang] if o != narrative_outlet]
            for k, (title, subset) in enumerate(zip(titles, subsets, strict=True)):
                sentences = [pool[i] for i in subset]
                outlet = others[(si + k) % len(others)]
                line: dict = {"story": story["id"]}
                if repeats and k == len(titles) - 1:
                    sentences.insert(1, material_kb.NARRATIVE_SENTENCES[narrative["id"]][lang])
                    outlet = narrative_outlet
                    line["narrative"] = narrative["id"]
                assert outlet is not None
                planned.append(
                    {
                        "k": k,
                        "lang": lang,
                        "url": f"{BASE}/{outlet[0]}/{story['id']}-{lang}-{k + 1}",
                        "title": title,
                        "text": join(sentences, lang),
                        "source": outlet[1],
                        **line,
                    }
                )
        # interleave languages so that every language spans the story's days
        planned.sort(key=lambda a: (a["k"], LANGS.index(a["lang"])))
        start, end = story["start"], story["end"]
        step = (start - end) / max(len(planned) - 1, 1)
        for i, article in enumerate(planned):
            jitter = rng.uniform(-0.3, 0.3) * step if 0 < i < len(planned) - 1 else 0.0
            article["days_ago"] = round(start - i * step + jitter, 4)
            del article["k"]
            articles.append(article)
    articles.sort(key=lambda a: (-a["days_ago"], a["url"]))
    keys = ["url", "title", "text", "days_ago", "lang", "source", "story", "narrative"]
    return [{key: a[key] for key in keys if key in a} for a in articles]


def check_near_duplicates(articles: list[dict]) -> float:
    from ttdn.pipeline.fingerprint import tokens
    from ttdn.text.normalize import fold

    def shingles(text: str) -> set[str]:
        words = tokens(fold(text))
        return {" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))}

    worst = 0.0
    bad: list[str] = []
    for lang in LANGS:
        sets = [(a["url"], shingles(a["text"])) for a in articles if a["lang"] == lang]
        for (u1, s1), (u2, s2) in itertools.combinations(sets, 2):
            jaccard = len(s1 & s2) / len(s1 | s2)
            if jaccard > MAX_JACCARD:
                bad.append(f"{u1} {u2} {jaccard:.2f}")
            worst = max(worst, jaccard)
    if bad:
        raise SystemExit("near-duplicates:\n" + "\n".join(bad))
    return worst


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    articles = build_articles()
    worst = check_near_duplicates(articles)
    OUT.mkdir(parents=True, exist_ok=True)
    write_jsonl(OUT / "articles.jsonl", articles)
    sources = [
        {"name": name, "url": f"{BASE}/{slug}/", "kind": "page", "country": country, "lang": lang}
        for slug, name, country, lang in material_kb.OUTLETS
    ]
    write_jsonl(OUT / "sources.jsonl", sources)
    narratives = [
        {
            **{key: value for key, value in n.items() if key != "variants"},
            "lang": "en",
            "variants": [{"lang": lang, "text": text} for lang, text in zip(VARIANT_LANGS, n["variants"], strict=True)],
        }
        for n in material_kb.NARRATIVES
    ]
    write_jsonl(OUT / "narratives.jsonl", narratives)
    facts = [
        {
            "id": fact["id"],
            "topic": fact["topic"],
            "status": "approved",
            "rebuts": fact["rebuts"],
            "texts": {lang: {"title": fact[lang][0], "body": fact[lang][1]} for lang in ("vi", "en")},
            "source_url": f"{BASE}/facts/{fact['id']}",
        }
        for fact in material_kb.FACTS
    ]
    write_jsonl(OUT / "facts.jsonl", facts)
    langs = Counter(a["lang"] for a in articles)
    print(
        f"{len(articles)} articles, {len({a['story'] for a in articles})} stories, "
        f"{sum(1 for a in articles if 'narrative' in a)} repeating a narrative, "
        f"{len(sources)} sources, {len(material_kb.NARRATIVES)} narratives, {len(facts)} facts; "
        f"languages {dict(langs)}; worst shingle Jaccard {worst:.2f}"
    )


if __name__ == "__main__":
    main()
