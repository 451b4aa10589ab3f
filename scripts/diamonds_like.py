#!/usr/bin/env python3
"""A seeded stand-in for ggplot2's diamonds table, written to stdout: 53,940 rows, 10
columns in diamonds' order and rounding (carat, 3 categorical — cut, color, clarity —
and depth, table, price, x, y, z), with price and size driven by carat as there.
The window benchmark (scripts/window_bench.sh) uses it; only the shape matters.

Usage: python3 scripts/diamonds_like.py [ROWS] > diamonds_like.csv
"""
import math
import random
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 53_940
rng = random.Random(20261203)
cuts = (["Fair", "Good", "Very Good", "Premium", "Ideal"], [3, 9, 22, 26, 40])
colors = (list("DEFGHIJ"), [13, 18, 18, 21, 15, 10, 5])
clarities = (["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"], [1, 17, 24, 23, 15, 9, 7, 4])

out = sys.stdout
out.write("carat,cut,color,clarity,depth,table,price,x,y,z\n")
for _ in range(rows):
    carat = min(5.01, max(0.2, round(math.exp(rng.gauss(-0.39, 0.58)), 2)))
    cut = rng.choices(range(5), cuts[1])[0]
    color = rng.choices(range(7), colors[1])[0]
    clarity = rng.choices(range(8), clarities[1])[0]
    depth = round(rng.gauss(61.75 + (0.6 if cut == 0 else 0.0), 1.4), 1)
    table = round(rng.gauss(57.5 - 0.8 * (cut == 4), 2.2) * 2) / 2
    log_price = 8.4 + 1.7 * math.log(carat) - 0.07 * color + 0.09 * clarity + 0.03 * cut
    price = int(min(18823, max(326, round(math.exp(log_price + rng.gauss(0, 0.14))))))
    x = round(6.45 * carat ** (1 / 3) + rng.gauss(0, 0.05), 2)
    y = round(x + rng.gauss(0, 0.04), 2)
    z = round((x + y) / 2 * depth / 100 + rng.gauss(0, 0.02), 2)
    out.write(
        f"{carat},{cuts[0][cut]},{colors[0][color]},{clarities[0][clarity]},"
        f"{depth},{table:g},{price},{x},{y},{z}\n"
    )
