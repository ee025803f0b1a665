"""Benchmark: risk screening at the speed of a nation's declaration stream (issue 19).

    .venv/bin/python benchmarks/screening.py [--marks 300000] [--lines 1000000]
        [--naive-sample 200] [--seed 19] [--api]

Builds a snapshot of --marks generated recorded marks in memory (no database: the
matching core, screening/matching.py, takes plain data), each right with its genuine
goods' HS codes and prices, licensees and known infringers (some marks with a Chinese
form), plus past infringing cases' parties and three running campaigns. Then screens a
generated stream of --lines declaration lines (one to five lines a declaration) with
planted lines:
- infringing: the mark in a variant (case, spacing, full-width, look-alike letters l/I/1
  and 0/O, Cyrillic letters, the Chinese form), a misspelling (one letter added, dropped,
  changed or two swapped), the mark at a price far below the genuine one, or the goods
  shipped by a known infringer (its name respelled) or a past case's party;
- not infringing: the mark shipped by its recorded licensee (the authorised supply chain).
A line counts as flagged when a hit of a leading rule (mark, misspelling, known
infringer, past case) is on that line for a right screened medium or high.

Prints lines per second per core (one process: goal at least 10,000), the snapshot's
memory (RSS growth) and its build (rebuild) time, precision and recall on the planted
lines (goals: recall >= 0.95, precision >= 0.9), and a naive baseline (a Python loop over
every mark for each line) on a sample, as a ratio.

--api also times POST /api/v1/screening/ with a 100-line batch on the demo data (goal
under 100 ms), in a database of its own (benchmarks/benchdb.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening import matching
from screening.matching import Focus, PastParty, Right, Rules, Snapshot

CONSONANTS = "bcdfghjklmnprstvwxz"
VOWELS = "aeiouy"
# Latin letters and the Cyrillic letters that look like them.
CYRILLIC = dict(zip("aeopcxy", "\u0430\u0435\u043e\u0440\u0441\u0445\u0443", strict=True))
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
CITIES = ["Yiwu", "Ningbo", "Shenzhen", "Guangzhou", "Xiamen", "Qingdao", "Tianjin",
          "Dongguan", "Shantou", "Wenzhou", "Jinhua", "Foshan", "Hangzhou", "Suzhou"]  # fmt: skip
KINDS = ["Trading Co., Ltd.", "Import & Export Co., Ltd.", "Industrial Co., Ltd.",
         "E-commerce Co., Ltd.", "Manufacturing Co.", "Supply Chain Ltd",
         "Commerce LLC"]  # fmt: skip
GOODS = ["plastic buckets", "cotton t-shirts", "phone cases", "plush toys", "rubber mats",
         "keychain pendants", "zip bags", "building blocks", "led lamps", "power banks",
         "sports shoes", "leather handbags", "stainless steel cups", "hair dryers",
         "wireless earphones", "ceramic plates", "umbrellas", "sunglasses", "wall clocks",
         "notebooks", "ball pens", "kitchen knives", "yoga mats", "baby bottles"]  # fmt: skip
ADJECTIVES = ["assorted", "printed", "new", "mixed colour", "small", "large", "packed",
              "model 2025", "for retail", "in cartons", "with logo", "standard"]  # fmt: skip
HS = ["950300", "392640", "961100", "392321", "401691", "640391", "420222", "851830",
      "850650", "610910", "711719", "900410", "851631", "392490"]  # fmt: skip
CHANNELS = ["general_trade", "cross_border_ecommerce", "market_procurement", "postal", "express"]
COUNTRIES = ["NG", "AE", "SA", "BR", "MX", "DE", "US", "KE", "EG", "TR", "RU", "SG"]


def syllable(rng) -> str:
    return rng.choice(CONSONANTS) + rng.choice(VOWELS) + rng.choice(("", "", rng.choice("nrlsk")))


def word(rng, syllables: int) -> str:
    return "".join(syllable(rng) for _ in range(syllables))


def company(rng, syllables: int = 3) -> str:
    """Recorded parties' names have three syllables, the innocent declarants' four, so
    an innocent declarant never bears a recorded name by chance."""
    return f"{rng.choice(CITIES)} {word(rng, syllables).capitalize()} {rng.choice(KINDS)}"


def generate_rights(n: int, rng) -> tuple[list[Right], list[str], list[PastParty]]:
    seen: set[str] = set()
    rights, chinese = [], []
    while len(rights) < n:
        mark = word(rng, rng.choice((3, 3, 4)))
        key = matching.fold_mark(mark)
        if key in seen or len(key) < 6:
            continue
        seen.add(key)
        hs = rng.sample(HS, rng.choice((1, 2)))
        low = Decimal(rng.randrange(40, 600))
        marks = [mark.upper()]
        zh = ""
        if rng.random() < 0.1:
            zh = "".join(rng.sample(CJK, 3))
            marks.append(zh)
        rights.append(
            Right(
                number=f"T{len(rights):07d}",
                marks=marks,
                hs_codes=hs,
                prices=[(h, low, low * 8) for h in hs],
                authorised=[company(rng) for _ in range(rng.choice((1, 2)))],
                known_infringers=[company(rng) for _ in range(rng.choice((0, 1, 1, 2)))],
            )
        )
        chinese.append(zh)
    past = [
        PastParty(company(rng), [rights[rng.randrange(n)].number], case=f"C{i:06d}")
        for i in range(n // 15)
    ]
    return rights, chinese, past


CAMPAIGNS = [
    Focus("LONGTENG", "LONGTENG", frozenset({"market_procurement", "general_trade"}),
          frozenset({"export"}), frozenset({"NG", "KE", "EG", "AE", "SA"})),
    Focus("BLUENET", "BLUENET", frozenset({"postal", "express"})),
    Focus("CLEANNET", "CLEANNET", frozenset(), frozenset({"export", "transit"}),
          frozenset({"HK", "MO"})),
]  # fmt: skip


# --- planting ----------------------------------------------------------------------------


def variant(mark: str, rng) -> str:
    """The mark as a counterfeiter writes it: case, spacing, full-width, look-alikes."""
    kind = rng.randrange(6)
    if kind == 0:
        return mark.lower()
    if kind == 1:
        return " ".join(mark)
    if kind == 2:
        return "".join(chr(ord(c) + 0xFEE0) if "A" <= c <= "Z" else c for c in mark)
    if kind == 3:
        return mark.replace("L", "1").replace("I", "l").replace("O", "0")
    if kind == 4:
        return "".join(CYRILLIC.get(c, c) for c in mark.lower())
    return mark.capitalize()


def misspell(mark: str, rng) -> str:
    s = list(mark.lower())
    i = rng.randrange(1, len(s) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        del s[i]
    elif kind == 1:
        s.insert(i, rng.choice(VOWELS))
    elif kind == 2:
        s[i] = rng.choice([c for c in VOWELS + CONSONANTS if c != s[i]])
    else:
        s[i], s[i + 1] = s[i + 1], s[i]
    return "".join(s)


def respell(name: str, rng) -> str:
    """A party's name as another declarant types it."""
    name = name.upper() if rng.random() < 0.5 else name.lower()
    return name.replace("Co., Ltd.", "Company Limited").replace("CO., LTD.", "COMPANY LIMITED")


def plain_line(rng) -> dict:
    desc = f"{rng.choice(ADJECTIVES)} {rng.choice(GOODS)}"
    qty = rng.randrange(10, 5000)
    return {"description": desc, "brand": "", "hs_code": rng.choice(HS), "quantity": qty,
            "unit": "pieces", "value": str(Decimal(qty * rng.randrange(60, 900)))}  # fmt: skip


def generate_stream(total_lines: int, rights, chinese, past, rng):
    """Yields (declaration, truth per line)."""
    made = 0
    n = 0
    while made < total_lines:
        size = min(rng.choice((1, 1, 2, 3, 4, 5)), total_lines - made)
        lines, truth = [], []
        consignor = company(rng, 4)
        roll = rng.random()
        if size == 1 and roll < 0.006:  # a known infringer ships plain goods
            tries = [rng.choice(rights) for _ in range(5)]
            r = next((r for r in tries if r.known_infringers), tries[0])
            if r.known_infringers:
                consignor = respell(rng.choice(r.known_infringers), rng)
            line = plain_line(rng)
            line["hs_code"] = r.hs_codes[0]
            lines, truth = [line], [bool(r.known_infringers)]
        elif size == 1 and roll < 0.009:  # a past case's party ships again
            p = rng.choice(past)
            consignor = respell(p.name, rng)
            lines, truth = [plain_line(rng)], [True]
        else:
            licensed = None
            for _ in range(size):
                line = plain_line(rng)
                r_roll = rng.random()
                is_bad = False
                if r_roll < 0.035:
                    i = rng.randrange(len(rights))
                    mark = rights[i].marks[0]
                    pick = rng.random()
                    if pick < 0.45:
                        shown = variant(mark, rng)
                    elif pick < 0.75:
                        shown = misspell(mark, rng)
                    elif pick < 0.85 and chinese[i]:
                        shown = chinese[i]
                    else:
                        shown = mark
                    if rng.random() < 0.5:
                        line["description"] = f"{line['description']} {shown}"
                    else:
                        line["brand"] = shown
                    licensed_line = r_roll < 0.005 and licensed is None
                    if pick >= 0.85 and not licensed_line:  # far below the genuine price
                        line["hs_code"] = rights[i].hs_codes[0]
                        line["value"] = str(rights[i].prices[0][1] * line["quantity"] / 5)
                    if licensed_line:  # at the genuine price
                        line["hs_code"] = rights[i].hs_codes[0]
                        line["value"] = str(rights[i].prices[0][1] * 2 * line["quantity"])
                        licensed = rights[i]  # its licensee ships it: authorised
                    else:
                        is_bad = True
                lines.append(line)
                truth.append(is_bad)
            if licensed is not None:
                consignor = licensed.authorised[-1]
                truth = [
                    t and not _carries(line, licensed) for t, line in zip(truth, lines, strict=True)
                ]
        n += 1
        made += len(lines)
        yield (
            {
                "number": f"D{n:09d}",
                "direction": "export",
                "channel": rng.choice(CHANNELS),
                "consignor": {"name": consignor, "country": "CN"},
                "consignee": {"name": company(rng, 4), "country": "NG"},
                "origin_country": "CN",
                "destination_country": rng.choice(COUNTRIES),
                "lines": lines,
            },
            truth,
        )


def _carries(line, right) -> bool:
    text = matching.fold_mark(f"{line['brand']} {line['description']}")
    return matching.fold_mark(right.marks[0]) in text


def flagged_lines(result: matching.Result) -> set[int]:
    """Lines with a leading hit for a right screened medium or high."""
    floor = dict(matching.LEVELS)["medium"]
    return {
        h.line
        for h in result.hits
        if h.rule in matching.LEADING and result.scores.get(h.right, 0) >= floor
    }


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


# --- naive baseline ----------------------------------------------------------------------


def naive_screen(declaration, keys):
    """A Python loop over every mark, per line (folded text, substring test)."""
    found = []
    for n, line in enumerate(declaration["lines"]):
        text = matching.fold_mark(f"{line['brand']} {line['description']}")
        for key in keys:
            if key in text:
                found.append((n, key))
    return found


# --- the API on the demo data --------------------------------------------------------------


def time_api(repeat: int = 20) -> None:
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    from benchmarks.benchdb import BenchDatabase

    bench = BenchDatabase("customs_ipr_bench_screening")
    bench.setup_django()
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from accounts.models import User
    from screening.demo import DECLARATIONS

    print(f"\nAPI: database {bench.name}, loading the demo ...")
    bench.recreate()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    try:
        lines = [line for d in DECLARATIONS for line in d["lines"]]
        body = []
        for i in range(10):
            d = dict(DECLARATIONS[i % len(DECLARATIONS)])
            d["number"] = f"B{i:03d}"
            d["lines"] = [lines[(i * 10 + k) % len(lines)] for k in range(10)]
            body.append(d)
        client = APIClient(HTTP_HOST="localhost")
        client.force_authenticate(User.objects.get(username="officer.ningbo"))
        client.post("/api/v1/screening/", {"declarations": body}, format="json")  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.post("/api/v1/screening/", {"declarations": body}, format="json")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
        times.sort()
        median = times[len(times) // 2]
        print(
            f"API: 100 lines (10 declarations) median {median:.1f} ms, "
            f"best {times[0]:.1f} ms, worst {times[-1]:.1f} ms over {repeat} runs "
            f"(goal < 100 ms): {'PASS' if median < 100 else 'FAIL'}"
        )
    finally:
        bench.drop()


# --- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--marks", type=int, default=300_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--api", action="store_true", help="also time the API on the demo")
    options = parser.parse_args()
    rng = random.Random(options.seed)

    started = time.perf_counter()
    rights, chinese, past = generate_rights(options.marks, rng)
    print(
        f"Generated {len(rights):,} recorded marks ({sum(1 for z in chinese if z):,} with a "
        f"Chinese form), {sum(len(r.authorised) for r in rights):,} licensees/holders, "
        f"{sum(len(r.known_infringers) for r in rights):,} known infringers, "
        f"{len(past):,} past parties in {time.perf_counter() - started:.1f} s."
    )

    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    # The genuine goods' names are the snapshot's vocabulary, as recordals give them.
    snapshot = Snapshot(rights, past, CAMPAIGNS, vocabulary=" ".join(GOODS + ADJECTIVES).split())
    build = time.perf_counter() - started
    gc.collect()
    memory = rss_mb() - before
    print(
        f"Snapshot: built (= rebuild time) in {build:.1f} s; memory {memory:,.0f} MB "
        f"(RSS growth); {len(snapshot.mark_rights):,} mark keys, "
        f"{len(snapshot.neighbours):,} misspelling keys, {len(snapshot.parties):,} parties."
    )

    rules = Rules.defaults()
    stream = list(generate_stream(options.lines, rights, chinese, past, rng))
    total = sum(len(d["lines"]) for d, _ in stream)
    planted = sum(sum(t) for _, t in stream)
    print(f"Stream: {len(stream):,} declarations, {total:,} lines, {planted:,} planted infringing.")

    tp = fp = fn = 0
    authorised = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for declaration, truth in stream:
        result = snapshot.screen(declaration, rules)
        flagged = flagged_lines(result)
        authorised += result.authorised
        for n, bad in enumerate(truth):
            hit = n in flagged
            tp += bad and hit
            fp += hit and not bad
            fn += bad and not hit
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rate = total / cpu
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"Screened {total:,} lines in {wall:.1f} s wall, {cpu:.1f} s CPU (one process): "
        f"{rate:,.0f} lines/s per core (goal >= 10,000): {'PASS' if rate >= 10_000 else 'FAIL'}"
    )
    print(
        f"Planted lines: precision {precision:.3f} (goal >= 0.9), recall {recall:.3f} "
        f"(goal >= 0.95); tp {tp:,}, fp {fp:,}, fn {fn:,}; {authorised:,} declarations "
        f"marked authorised."
    )

    sample = stream[: max(1, options.naive_sample)]
    keys = list(snapshot.mark_rights)
    sample_lines = sum(len(d["lines"]) for d, _ in sample)
    cpu = time.process_time()
    for declaration, _ in sample:
        naive_screen(declaration, keys)
    naive_rate = sample_lines / (time.process_time() - cpu)
    print(
        f"Naive baseline (Python loop over {len(keys):,} marks, exact substrings only): "
        f"{naive_rate:,.1f} lines/s on {sample_lines:,} lines; the engine is "
        f"{rate / naive_rate:,.0f}x faster."
    )
    if options.api:
        time_api()


if __name__ == "__main__":
    main()
