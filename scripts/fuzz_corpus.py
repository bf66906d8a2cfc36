#!/usr/bin/env python3
"""Fuzz the ingest -> extract -> resolve -> graph chain with mutated corpus articles.

    python scripts/fuzz_corpus.py [--corpus ../shared/corpus/baomoi.jsonl.gz] [--count 10000] [--seed 1]
                                  [--result benchmarks/results/fuzz.json]

Each article of the corpus (cycled) is mutated (hostile characters, truncation, NFD, odd dates and numbers,
very long tokens, broken fields), written as JSON Lines, read back through ingest and processed; every
article graph must parse as N-Quads. Any exception is a failure and is recorded with the mutation that
caused it. Two invariants are checked on every article read: normalisation changed no letter and no mark
other than a tone's place, and no sentence (other than at a line break) starts with a lower-case letter.

A second phase writes articles as files of their own (``--files``, default 400): in UTF-8, Windows-1258,
GBK, Latin-1, as random bytes, and as HTML pages whose body sits in a <form>, in an <article> with <header>
and <aside>, or in a WordPress layout. Vietnamese in either encoding must be read with its title; bytes and
foreign encodings must be reported naming the file; every HTML body must keep its first paragraph.
Exit status 1 when any exception or broken invariant occurred.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import tempfile
import time
import traceback
import unicodedata
from pathlib import Path

import pyoxigraph

from anttkg.extract.sentences import split_sentences
from anttkg.ingest import read_inputs
from anttkg.models import Article, IngestProblem
from anttkg.pipeline import process_article
from anttkg.text import normalize_text

TONES = "\u0300\u0301\u0303\u0309\u0323"

HOSTILE = ['"', "\\", "<", ">", "\n", "\r", "\t", "\x00", "\x1b", "\u202e", "\u200b", "\ufeff", "\ud800",
           "\U0001f600", "{", "}", "^^", "@vi", "_:b0", "<http://x>", "'''", "\"\"\"", "%", "%zz", "#"]
ODD_FRAGMENTS = ["32/13/2022", "ngày 0/0", "29/2/2023", "99999999999999999999 tỷ", "1,5,5 triệu", "số /KH-",
                 "Kế hoạch số 333/", "Trung tướng ;", "các đồng chí: ;;;", "Ảnh:", "(", ")", "“", "”",
                 "Thứ trưởng Thứ trưởng", "giai đoạn 2030-2010", "năm 0", "Hội nghị Hội nghị", "tặng Bằng khen cho"]


def mutate(record: dict, rng: random.Random) -> tuple[dict, str]:
    record = dict(record)
    text = record.get("text") or ""
    kind = rng.choice(["insert", "truncate", "nfd", "fragments", "long_token", "fields", "case", "strip_marks",
                       "shuffle"])
    if kind == "insert":
        for _ in range(rng.randint(1, 30)):
            pos = rng.randint(0, len(text))
            text = text[:pos] + rng.choice(HOSTILE) + text[pos:]
    elif kind == "truncate":
        text = text[: rng.randint(0, len(text))]
    elif kind == "nfd":
        text = unicodedata.normalize("NFD", text)
    elif kind == "fragments":
        for _ in range(rng.randint(1, 10)):
            pos = rng.randint(0, len(text))
            text = text[:pos] + " " + rng.choice(ODD_FRAGMENTS) + " " + text[pos:]
    elif kind == "long_token":
        pos = rng.randint(0, len(text))
        text = text[:pos] + rng.choice("aĐ9.-/") * rng.randint(1000, 20000) + text[pos:]
    elif kind == "fields":
        field = rng.choice(["title", "sapo", "id", "text"])
        record[field] = rng.choice([None, 123, ["x"], {"a": 1}, "", " "])
    elif kind == "case":
        text = text.upper()
    elif kind == "strip_marks":
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    elif kind == "shuffle":
        parts = text.split(". ")
        rng.shuffle(parts)
        text = ". ".join(parts)
    if kind != "fields":
        record["text"] = text
    return record, kind


def without_tones(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(ch for ch in unicodedata.normalize("NFD", text) if ch not in TONES))


WORD = re.compile(r"[^\W\d_]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\ufeff]")


def letters(word: str) -> list[list[str]]:
    """[base letter with its other marks, tone mark or ''] per letter."""
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1][1 if ch in TONES else 0] += ch
        else:
            out.append([ch, ""])
    return out


def tone_moved_by_the_rule(before: list[list[str]], after: list[list[str]]) -> bool:
    """Only NFC and the modern placement changed the word: a tone on the second vowel of an open oa / oe /
    uy syllable (not after q) moved onto the first."""
    if [b for b, _ in before] != [b for b, _ in after]:
        return False
    for i, ((base, tone), (_b, new)) in enumerate(zip(before, after)):
        if tone == new:
            continue
        if tone and not new:
            pair = (before[i - 1][0] + base).casefold() if i else ""
            if not (pair in ("oa", "oe", "uy") and i + 1 == len(before) and after[i - 1][1] == tone
                    and not before[i - 1][1] and not (i >= 2 and before[i - 2][0].casefold() == "q")):
                return False
        elif not (i + 1 < len(before) and before[i + 1][1] == new and not tone):
            return False
    return True


def broken_invariants(article: Article, raw_text: str | None) -> list[str]:
    """What the article breaks of the text and sentence invariants."""
    broken = []
    if isinstance(raw_text, str) and raw_text:
        cleaned = re.sub("[\ud800-\udfff]", "\ufffd", CONTROL.sub("", raw_text))
        words_before = WORD.findall(unicodedata.normalize("NFC", cleaned))
        words_after = WORD.findall(normalize_text(raw_text))
        if len(words_before) != len(words_after):
            broken.append("normalisation changed the words")
        else:
            for before, after in zip(words_before, words_after):
                if before != after and not tone_moved_by_the_rule(letters(before), letters(after)):
                    broken.append(f"normalisation changed {before!r} to {after!r}")
                    break
    text = article.full_text
    previous_end = None
    for sentence in split_sentences(text):
        if previous_end is not None and "\n" not in text[previous_end:sentence.start] and \
                sentence.text[:1].islower():
            broken.append(f"sentence {sentence.index} starts with a lower-case letter: {sentence.text[:30]!r}")
            break
        previous_end = sentence.end
    return broken


def to_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        try:
            out += (letter + "".join(c for c in parts if c in TONES)).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


PAGES = {
    "form": "<html><head><title>{title}</title></head><body><form id='form1' method='post'>"
            "<input type='hidden' name='__VIEWSTATE' value='dDwtMTA4'/><div id='menu'><a href='/'>Trang chủ</a>"
            "</div><table><tr><td><h1>{title}</h1>{paragraphs}</td></tr></table></form></body></html>",
    "cms": "<html><head><title>{title}</title></head><body><header><nav><a href='/'>Trang chủ</a></nav></header>"
           "<article><header><h1>{title}</h1><p class='sapo'>{first}</p></header><div class='body'>{rest}</div>"
           "<aside><h3>Tin liên quan</h3><ul><li><a href='/x'>Một tin khác</a></li></ul></aside></article>"
           "<footer>Bản quyền</footer></body></html>",
    "wordpress": "<html><head><title>{title}</title></head><body><div id='page'><header class='site-header'>"
                 "<p class='site-title'>Trang tin</p></header><main><article class='post'><header class="
                 "'entry-header'><h1 class='entry-title'>{title}</h1></header><div class='entry-content'>"
                 "{paragraphs}</div></article></main><aside class='widget-area'><h2>Bài viết mới</h2></aside>"
                 "</div></body></html>",
}


def file_phase(corpus: Path, count: int, seed: int, folder: Path) -> dict:
    """Articles as files in several encodings and page shapes; the outcome each must have."""
    import html

    rng = random.Random(seed)
    expected: dict[str, tuple[str, str]] = {}  # path -> (kind, what must be found)
    kinds: dict[str, int] = {}
    records = (r for r in itertools.cycle(read_corpus(corpus))
               if isinstance(r.get("title"), str) and len(r.get("text") or "") > 400 and r["title"].strip())
    for index, record in enumerate(itertools.islice(records, count)):
        kind = rng.choice(["utf8", "cp1258", "gbk", "latin1", "random", "form", "cms", "wordpress"])
        kinds[kind] = kinds.get(kind, 0) + 1
        title = " ".join(record["title"].split())
        paras = [p.strip() for p in record["text"].replace(". ", ".\n").splitlines() if len(p.strip()) > 40][:6]
        if len(paras) < 2:
            paras = [record["text"][:300], record["text"][300:600]]
        path = folder / f"{index:05d}-{kind}"
        if kind in ("utf8", "cp1258"):
            body = f"{title}\n\n" + "\n\n".join(paras) + "\n"
            path = path.with_suffix(".txt")
            path.write_bytes(body.encode("utf-8") if kind == "utf8" else to_cp1258(body))
            expected[str(path)] = ("article", normalize_text(title))
        elif kind == "gbk":
            path = path.with_suffix(".txt")
            path.write_bytes(("公安部今天召开会议，部署打击犯罪工作。" * rng.randint(1, 30)).encode("gbk"))
            expected[str(path)] = ("problem", "")
        elif kind == "latin1":
            path = path.with_suffix(".txt")
            path.write_bytes(("Le ministère a présenté à la presse un rapport détaillé sur la sécurité. "
                              * rng.randint(1, 30)).encode("latin-1"))
            expected[str(path)] = ("problem", "")
        elif kind == "random":
            path = path.with_suffix(".txt")
            path.write_bytes(rng.randbytes(rng.randint(16, 8192)))
            expected[str(path)] = ("problem", "")
        else:
            escaped = [html.escape(p) for p in paras]
            page = PAGES[kind].format(title=html.escape(title), first=escaped[0],
                                      rest="".join(f"<p>{p}</p>" for p in escaped[1:]),
                                      paragraphs="".join(f"<p>{p}</p>" for p in escaped))
            path = path.with_suffix(".html")
            path.write_text(page, encoding="utf-8")
            expected[str(path)] = ("body", normalize_text(" ".join(paras[1].split()))[:60])
    broken, seen = [], set()
    for item in read_inputs([folder]):
        origin = item.origin
        seen.add(origin)
        kind, wanted = expected.get(origin, ("?", ""))
        if kind == "problem" and not isinstance(item, IngestProblem):
            broken.append({"origin": origin, "broken": "read as an article, not reported"})
        elif kind == "article" and (not isinstance(item, Article) or item.title != wanted):
            broken.append({"origin": origin, "broken": f"not read with its title: {item!r:.200}"})
        elif kind == "body" and (not isinstance(item, Article) or wanted not in " ".join(item.full_text.split())):
            broken.append({"origin": origin, "broken": f"body paragraph lost: {wanted!r}"})
    broken += [{"origin": path, "broken": "neither read nor reported"} for path in expected if path not in seen]
    return {"files": count, "file_kinds": kinds, "files_broken": len(broken), "file_failures": broken[:50]}


def read_corpus(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def run(corpus: Path, count: int, seed: int, files: int = 400) -> dict:
    rng = random.Random(seed)
    failures, kinds, processed, problems = [], {}, 0, 0
    invariants: list[dict] = []
    raw_texts: dict[str, object] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        fuzz_file = Path(tmp) / "fuzz.jsonl"
        mutations = []
        with fuzz_file.open("w", encoding="utf-8", errors="surrogatepass") as out:
            for index, record in enumerate(itertools.islice(itertools.cycle(read_corpus(corpus)), count)):
                record = dict(record, id=f"{record.get('id')}-{index}")
                mutated, kind = mutate(record, rng)
                kinds[kind] = kinds.get(kind, 0) + 1
                mutations.append(kind)
                raw_texts[mutated.get("id") if isinstance(mutated.get("id"), str) else ""] = mutated.get("text")
                out.write(json.dumps(mutated, ensure_ascii=True) + "\n")
        for item in read_inputs([fuzz_file]):
            if not isinstance(item, Article):
                problems += 1
                continue
            try:
                result = process_article(item)
                list(pyoxigraph.parse(result.nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
                processed += 1
                raw = raw_texts.get(item.id)
                for what in broken_invariants(item, raw if isinstance(raw, str) else None):
                    invariants.append({"article": item.id, "origin": item.origin, "broken": what})
            except Exception as error:  # the point of the fuzzer: record every failure, keep going
                failures.append({"article": item.id, "origin": item.origin, "error": repr(error),
                                 "traceback": traceback.format_exc(limit=5)})
        file_folder = Path(tmp) / "files"
        file_folder.mkdir()
        try:
            file_result = file_phase(corpus, files, seed, file_folder)
        except Exception as error:  # noqa: BLE001 - reported like any other failure
            failures.append({"article": "", "origin": "file phase", "error": repr(error),
                             "traceback": traceback.format_exc(limit=5)})
            file_result = {"files": files, "files_broken": 0, "file_failures": []}
    return {
        **file_result,
        "invariants_broken": len(invariants), "invariant_failures": invariants[:50],
        "corpus": str(corpus), "mutated_articles": count, "seed": seed, "mutations": kinds,
        "articles_processed": processed, "inputs_reported_as_problems": problems,
        "exceptions": len(failures), "failures": failures[:50],
        "seconds": round(time.perf_counter() - started, 1),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus" / "baomoi.jsonl.gz")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--files", type=int, default=400, help="articles written as files of their own")
    parser.add_argument("--result", type=Path, default=here / "benchmarks" / "results" / "fuzz.json")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    result = run(args.corpus, args.count, args.seed, args.files)
    args.result.parent.mkdir(parents=True, exist_ok=True)
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{result['articles_processed']} articles processed, {result['inputs_reported_as_problems']} "
          f"reported as input problems, {result['exceptions']} exceptions, {result['invariants_broken']} "
          f"broken invariants; {result['files']} files, {result['files_broken']} read wrongly; "
          f"{result['seconds']} s -> {args.result}")
    return 1 if result["exceptions"] or result["invariants_broken"] or result["files_broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
