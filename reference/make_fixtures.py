#!/usr/bin/env python3
"""Makes every golden fixture in reference/fixtures/ (npm run fixtures): runs each reference
script in turn as its own process. A missing or failing script is reported and makes
the exit code non-zero, but the other scripts still run."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["ref_lti.py", "ref_seq.py", "ref_hippo.py", "ref_views.py", "ref_discretization.py", "ref_family.py", "ref_linattn.py", "ref_selective.py", "ref_scanlevels.py", "ref_dplr.py"]

failed = []
for name in SCRIPTS:
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        print(f"make_fixtures: {name} is missing", file=sys.stderr)
        failed.append(name)
        continue
    print(f"make_fixtures: running {name}", flush=True)
    if subprocess.run([sys.executable, path]).returncode != 0:
        print(f"make_fixtures: {name} failed", file=sys.stderr)
        failed.append(name)
sys.exit(f"make_fixtures: failed: {', '.join(failed)}" if failed else 0)
