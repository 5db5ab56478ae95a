#!/usr/bin/env python3
"""Makes every golden fixture in data/fixtures/ (npm run fixtures): runs each reference
script in turn as its own process and stops at the first failure."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["ref_lti.py", "ref_seq.py"]

for name in SCRIPTS:
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        sys.exit(f"make_fixtures: {path} is missing")
    print(f"make_fixtures: running {name}", flush=True)
    r = subprocess.run([sys.executable, path])
    if r.returncode != 0:
        sys.exit(f"make_fixtures: {name} failed with exit code {r.returncode}")
