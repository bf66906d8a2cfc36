"""Write a second first-sight pool once ../shared/eval/pool.txt is used up.

    python scripts/extend_pool.py [--corpus ../shared/corpus/baomoi.jsonl.gz] [--out tests/gold/pool-2.txt]

The eval kit's pool lists security-genre articles in a fixed random order; its 400 ids are all annotated.
The corpus records no genre, so this picks the remaining security articles with a fixed keyword test (the
same test, tried on the kit's pool, is reported in the file's header), leaves out every id of the kit's pool
and of the gold sets not drawn from a pool, and orders them by a seeded shuffle; running it again after
batches of this pool are annotated gives the same file. Batches are then taken 20 at a time, in order,
as with the kit's pool. Nothing here looks at anttkg's output.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = 20261207

# Words of police, courts, crime and disasters; a word in the title or lead, or three in the body.
SECURITY_TERMS = (
    "công an", "cảnh sát", "an ninh", "trật tự", "bắt giữ", "bắt quả tang", "khởi tố", "truy tố", "truy nã",
    "bị can", "bị cáo", "xét xử", "tòa án", "viện kiểm sát", "ma túy", "ma tuý", "lừa đảo",
    "trộm cắp", "cướp", "giết người", "tai nạn giao thông", "hỏa hoạn", "hoả hoạn", "vụ cháy", "phòng cháy",
    "buôn lậu", "đánh bạc", "tội phạm", "điều tra", "tạm giam", "đối tượng",
)
_TERMS = re.compile("|".join(re.escape(t) for t in sorted(set(SECURITY_TERMS), key=len, reverse=True)))


def hits(text: str) -> int:
    return len(_TERMS.findall(unicodedata.normalize("NFC", text).lower()))


def is_security(article: dict) -> bool:
    head = f"{article.get('title') or ''} {article.get('sapo') or ''}"
    return hits(head) >= 1 and hits(article.get("text") or "") >= 3


def read_ids(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def gold_ids() -> set[str]:
    """Ids of the gold sets that do not come from a pool (the kit's, the team's corpus sets): the batches drawn
    from this pool later must not change it."""
    ids: set[str] = set()
    for path in [*(ROOT / "tests" / "gold").glob("corpus-*.json"), *(SHARED / "eval" / "gold").glob("*.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        ids.update(str(key) for key in (data.get("articles") or {}))
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "baomoi.jsonl.gz")
    parser.add_argument("--pool", type=Path, default=SHARED / "eval" / "pool.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "gold" / "pool-2.txt")
    args = parser.parse_args()
    kit_pool = set(read_ids(args.pool))
    used = kit_pool | gold_ids()
    picked, kit_found, seen = [], 0, set()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            article_id = str(article["id"])
            if article_id in seen:
                continue
            seen.add(article_id)
            if not is_security(article):
                continue
            if article_id in kit_pool:
                kit_found += 1
            elif article_id not in used:
                picked.append(article_id)
    picked.sort(key=int)
    random.Random(SEED).shuffle(picked)
    header = [
        "# Second first-sight pool (scripts/extend_pool.py): corpus articles that pass its security keyword test,",
        f"# none in ../shared/eval/pool.txt or in a gold set not drawn from a pool, in a random order (seed {SEED}).",
        f"# The test keeps {kit_found} of the kit pool's {len(kit_pool)} ids. Take batches in order, 20 at a time.",
    ]
    args.out.write_text("\n".join(header + picked) + "\n", encoding="utf-8")
    print(f"{len(picked)} ids written to {args.out}; the test keeps {kit_found}/{len(kit_pool)} of the kit pool")


if __name__ == "__main__":
    main()
