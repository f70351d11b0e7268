#!/usr/bin/env python3
"""Make the fuzz seeds that come from a real census: a store (corpus/store/
census.db, vacuumed to small pages), our full CSV and its JSON twin's
config (corpus/csv/census.csv). Checked in; run again only when the store
schema or the CSV columns change:

    FORKMAP_BIN=build/forkmap python3 tests/fuzz/make_seeds.py
"""
import os
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))

from fixture import Sandbox  # noqa: E402
from forkmap_run import forkmap_bin  # noqa: E402
from tiny_network import tiny_network  # noqa: E402


def main():
    corpus = os.path.join(HERE, "corpus")
    with Sandbox() as sb:
        repo = tiny_network(sb)
        db = sb.path("census.db")
        csv = sb.path("census.csv")
        for _ in range(2):  # two runs: history and the row cache
            subprocess.run([forkmap_bin(), "census", "-C", repo.path,
                            "--no-github", "--db", db, "--csv", csv],
                           env=sb.env, cwd=sb.root, check=True,
                           stdout=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA page_size=512")
        con.execute("VACUUM")
        con.close()
        shutil.copyfile(db, os.path.join(corpus, "store", "census.db"))
        shutil.copyfile(csv, os.path.join(corpus, "csv", "census.csv"))


if __name__ == "__main__":
    main()
