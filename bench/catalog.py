"""Benchmark: a 10,000-product catalog (50,000 variants) as a Shopify export.

Generates the export, then measures what a shop that size costs: the import, the extra start-up
of the whole shop, naming a product in a message (`Catalog.find`, the understanding layer's first
step), a filtered list query, and the memory the loaded catalog holds. Every figure is printed
beside the same measure on the demo shop (11 products) from the same run, because this machine's
speed varies (issue 22's goals: import <= 60 s, query p95 <= 20 ms, memory <= +300 MB).

    .venv/bin/python -m bench.catalog [--products 10000] [--variants 5]
"""

from __future__ import annotations

import argparse
import csv
import gc
import random
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lifecycle.settings import PROJECT_ROOT
from lifecycle.shop.catalog import Catalog
from lifecycle.shop.facts import Shop
from lifecycle.shop.formats import read_catalog
from lifecycle.shop.loader import load_shop
from lifecycle.understanding import engine, understand
from lifecycle.understanding.lexicon import lexicon
from lifecycle.understanding.selection import parse_selection, select

BRANDS = ["Alder", "Birch", "Cedar", "Dune", "Ember", "Fjord", "Glacier", "Harbor", "Island", "Juniper", "Kestrel",
          "Lagoon", "Meadow", "Nimbus", "Orchard", "Prairie", "Quarry", "Raven", "Sierra", "Tundra"]
MODELS = ["Apex", "Bolt", "Crest", "Drift", "Edge", "Flare", "Grove", "Haze", "Ion", "Jet", "Knot", "Lumen", "Mesa",
          "Nova", "Orbit", "Pulse", "Quill", "Ridge", "Spark", "Trail", "Umber", "Vale", "Wave", "Xeno", "Yarrow",
          "Zephyr"]
CATEGORIES = ["jacket", "fleece", "t-shirt", "trousers", "socks", "hat", "gloves", "backpack", "tent", "sleeping bag",
              "bottle", "headlamp"]
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
COLOURS = ["Black", "Red", "Blue", "Green", "Grey"]
QUESTIONS = ["how much is the {name}?", "is the {name} in stock", "quanto costa {name}", "vad kostar {name}",
             "czy {name} jest dostępny?", "cât costă {name}?"]
LISTS = ["backpacks over 40 litres", "jackets under 150 euro", "the lightest tent", "zaini sopra i 30 litri",
         "ryggsäckar under 100 euro", "najlżejszy namiot"]


def generate(path: Path, products: int, variants: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    header = ["Handle", "Title", "Body (HTML)", "Vendor", "Type", "Option1 Name", "Option1 Value", "Option2 Name",
              "Option2 Value", "Variant SKU", "Variant Grams", "Variant Inventory Qty", "Variant Price",
              "Variant Compare At Price", "Image Src", "Status", "Rating (product.metafields.reviews.rating)",
              "Capacity (product.metafields.custom.capacity_l)"]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for n in range(products):
            brand, model = BRANDS[n % len(BRANDS)], MODELS[(n // len(BRANDS)) % len(MODELS)]
            name = f"{brand} {model} {n // (len(BRANDS) * len(MODELS)) + 1}"
            handle, category = name.lower().replace(" ", "-"), CATEGORIES[n % len(CATEGORIES)]
            price = rng.randrange(10, 500)
            for v in range(variants):
                size, colour = SIZES[v % len(SIZES)], COLOURS[(v // len(SIZES)) % len(COLOURS)]
                first = v == 0
                writer.writerow([handle, name if first else "", f"<p>{name}, a fine {category}.</p>" if first else "",
                                 "Bench" if first else "", category if first else "", "Size" if first else "", size,
                                 "Color" if first else "", colour, f"B{n}-{v}", rng.randrange(50, 3000),
                                 rng.randrange(0, 20), f"{price}.00", "", "", "active" if first else "",
                                 f"{rng.randrange(30, 50) / 10}" if first else "",
                                 rng.randrange(10, 80) if first and category == "backpack" else ""])


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def _queries(shop: Shop, rng: random.Random, count: int) -> tuple[list[float], list[float]]:
    catalog = Catalog(shop, lexicon().common)
    finds, lists = [], []
    for n in range(count):
        product = rng.choice(shop.products)
        text = rng.choice(QUESTIONS).format(name=product.name.lower())
        finds.append(_timed(lambda text=text: catalog.find(text)))  # type: ignore[misc]
        asked = LISTS[n % len(LISTS)]

        def listing(asked: str = asked) -> object:
            query = understand(asked, catalog)
            return [p for p in select(shop, parse_selection(asked, shop)) if all(engine.meets(p, m)
                                                                                 for m in query.measures)]
        lists.append(_timed(listing))
    return finds, lists


def _held(load: Callable[[], object]) -> tuple[object, float]:
    gc.collect()
    tracemalloc.start()
    loaded = load()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    return loaded, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--variants", type=int, default=5)
    parser.add_argument("--queries", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        shop_dir = Path(folder) / "shop"
        shutil.copytree(PROJECT_ROOT / "data" / "shops" / "northpeak", shop_dir)
        big = shop_dir / "catalog.csv"
        print(f"[bench] generating {args.products:,} products x {args.variants} variants ...", flush=True)
        generate(big, args.products, args.variants)
        print(f"[bench] {big.stat().st_size / 1e6:.1f} MB Shopify export", flush=True)
        demo_import = _timed(lambda: read_catalog(PROJECT_ROOT / "data" / "shops" / "northpeak" / "catalog.csv"))
        imported_in = _timed(lambda: read_catalog(big))
        demo_start = _timed(lambda: load_shop(PROJECT_ROOT / "data" / "shops" / "northpeak"))
        big_start = _timed(lambda: load_shop(shop_dir))
        demo_shop, demo_mb = _held(lambda: load_shop(PROJECT_ROOT / "data" / "shops" / "northpeak"))
        big_shop, big_mb = _held(lambda: load_shop(shop_dir))
        assert isinstance(demo_shop, Shop) and isinstance(big_shop, Shop)
        rng = random.Random(11)
        demo_find, demo_list = _queries(demo_shop, rng, args.queries)
        big_find, big_list = _queries(big_shop, rng, args.queries)
    variants = sum(len(p.variants) for p in big_shop.products)
    print(f"\n{len(big_shop.products):,} products, {variants:,} variants against the Northpeak demo "
          f"({len(demo_shop.products)} products), same run\n")
    print("| measure | demo shop | 10k shop | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| import (read the export) | {demo_import:.3f} s | {imported_in:.1f} s | {imported_in / demo_import:.0f}x "
          f"| <= 60 s |")
    print(f"| load the whole shop (start-up) | {demo_start:.3f} s | {big_start:.1f} s | "
          f"{big_start / demo_start:.0f}x | |")
    for label, demo, large in (("product named in a message", demo_find, big_find),
                               ("filtered list query", demo_list, big_list)):
        d50, d95 = _percentiles(demo)
        b50, b95 = _percentiles(large)
        print(f"| {label}, p50 / p95 | {d50:.2f} / {d95:.2f} ms | {b50:.2f} / {b95:.2f} ms | {b95 / d95:.1f}x (p95) "
              f"| p95 <= 20 ms |")
    print(f"| memory held by the loaded shop | {demo_mb:.1f} MB | {big_mb:.0f} MB | +{big_mb - demo_mb:.0f} MB | "
          f"<= +300 MB |")


if __name__ == "__main__":
    main()
