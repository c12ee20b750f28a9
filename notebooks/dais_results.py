"""Load dais results folders into pandas DataFrames, and run dais from a notebook.

A results folder is what `dais run SCENARIO --out DIR` writes: manifest.json, runs.csv, epochs.csv,
agents.csv, transfers.csv when asked, and compare.csv after `dais compare`. `dais replay yuma` writes
another kind of folder, read by load_replay(). Every metric here is a column dais wrote; this module
only reads, groups and plots, so no notebook re-implements a model.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("DAIS_SHARED_DIR", REPO_ROOT.parent / "shared"))
TOKEN_SUFFIX = "_tokens"
RUN_TABLES = ("runs", "epochs", "agents", "transfers")


class NotAResultsFolder(ValueError):
    """The folder is not (or not yet) what dais writes."""


class DaisError(RuntimeError):
    """The dais binary is missing or a command of it failed."""


def _read_csv(path: Path) -> pd.DataFrame:
    # round_trip: dais writes floats in their shortest round-trip form, so they read back to the same double.
    frame = pd.read_csv(path, float_precision="round_trip")
    for column in frame.columns:
        if column.endswith(TOKEN_SUFFIX):
            frame[column] = frame[column].astype(float)
    return frame


def _read_manifest(folder: Path, expected_by: str) -> dict:
    if not folder.exists():
        raise NotAResultsFolder(f"{folder}: no such folder")
    if not folder.is_dir():
        raise NotAResultsFolder(f"{folder}: expected a results folder, found a file")
    manifest_file = folder / "manifest.json"
    if not manifest_file.is_file():
        raise NotAResultsFolder(f"{folder}: not a dais results folder: no manifest.json ({expected_by} writes one)")
    try:
        return json.loads(manifest_file.read_text())
    except json.JSONDecodeError as error:
        raise NotAResultsFolder(
            f"{manifest_file}: expected JSON, found an error at {error.lineno}:{error.colno}: {error.msg}") from None


def _check_row_counts(folder: Path, manifest: dict, tables: dict) -> None:
    for file, rows in manifest.get("files", {}).items():
        name = file.removesuffix(".csv")
        if name not in tables:
            continue
        if tables[name] is None:
            raise NotAResultsFolder(f"{folder}: manifest.json lists {file}, but the folder has no {file}")
        if len(tables[name]) != rows:
            raise NotAResultsFolder(
                f"{folder / file}: manifest.json says {rows} rows, found {len(tables[name])}")


@dataclass
class Results:
    """One `dais run` output folder: the manifest and each table as a DataFrame (None when not written)."""

    folder: Path
    manifest: dict
    runs: pd.DataFrame
    epochs: pd.DataFrame | None
    agents: pd.DataFrame | None
    transfers: pd.DataFrame | None
    compare: pd.DataFrame | None

    @property
    def designs(self) -> list[str]:
        """The designs (sweep variants, or the scenario's name) in run order."""
        return list(dict.fromkeys(self.runs["design"]))

    @property
    def sweep_columns(self) -> list[str]:
        """The columns that carry the sweep parameters, in the scenario's order."""
        return [p["column"] for p in (self.manifest.get("sweep") or {}).get("parameters", [])]

    @property
    def replicates(self) -> int:
        return int(self.manifest["replicates"])

    def label(self, design: str) -> str:
        """A short legend label: the design's sweep values (`proportional`), or the design itself."""
        if not self.sweep_columns:
            return design
        first_run = self.runs[self.runs["design"] == design].iloc[0]
        return ", ".join(str(first_run[c]) for c in self.sweep_columns)

    def exact(self, table: str, column: str) -> pd.Series:
        """A column as exact decimal.Decimal values, row for row with the DataFrame (for `_tokens` columns).

        Sum them under decimal.localcontext(prec=...) with enough digits: the default context keeps 28.
        """
        frame = getattr(self, table) if table in RUN_TABLES else None
        if frame is None:
            raise KeyError(f"{self.folder}: no {table}.csv")
        if column not in frame.columns:
            raise KeyError(f"{self.folder / (table + '.csv')}: no column {column!r}")
        text = pd.read_csv(self.folder / f"{table}.csv", usecols=[column], dtype=str, keep_default_na=False)[column]
        return text.map(lambda value: Decimal(value) if value else None)

    def epoch_band(self, column: str, confidence: float = 0.95) -> pd.DataFrame:
        """Per design and epoch: mean of `column` over the replicates and its Student-t confidence band.

        Columns design, epoch, mean, low, high, n; low and high are NaN with a single replicate.
        """
        if self.epochs is None:
            raise KeyError(f"{self.folder}: no epochs.csv")
        band = (self.epochs.groupby(["design", "epoch"], sort=False)[column]
                .agg(mean="mean", sd="std", n="count").reset_index())
        quantile = stats.t.ppf((1 + confidence) / 2, band["n"] - 1)
        half_width = quantile * band["sd"] / np.sqrt(band["n"])
        band["low"] = band["mean"] - half_width
        band["high"] = band["mean"] + half_width
        return band.drop(columns="sd")

    def final_by_role(self, column: str) -> dict[str, dict[str, pd.Series]]:
        """agents.csv's final `column` of every agent, as {role: {design: values}}, in file order."""
        if self.agents is None:
            raise KeyError(f"{self.folder}: no agents.csv")
        return {role: {design: rows[column] for design, rows in by_role.groupby("design", sort=False)}
                for role, by_role in self.agents.groupby("role", sort=False)}


def load(folder: str | os.PathLike) -> Results:
    """Reads a `dais run` output folder; NotAResultsFolder says what is missing or inconsistent."""
    folder = Path(folder)
    manifest = _read_manifest(folder, "`dais run SCENARIO --out FOLDER`")
    if manifest.get("command") == "replay yuma":
        raise NotAResultsFolder(f"{folder}: written by `dais replay yuma`; read it with load_replay()")
    if "runs" not in manifest or "scenario" not in manifest:
        raise NotAResultsFolder(
            f"{folder / 'manifest.json'}: expected a `dais run` manifest with \"runs\" and \"scenario\", "
            f"found keys {sorted(manifest)}")
    if not (folder / "runs.csv").is_file():
        hint = " (an unfinished batch: `dais run ... --resume` finishes it)" if (folder / ".dais").exists() else ""
        raise NotAResultsFolder(f"{folder}: no runs.csv{hint}")
    tables = {name: _read_csv(folder / f"{name}.csv") if (folder / f"{name}.csv").is_file() else None
              for name in RUN_TABLES}
    if len(tables["runs"]) != manifest["runs"]:
        raise NotAResultsFolder(
            f"{folder / 'runs.csv'}: manifest.json says {manifest['runs']} runs, found {len(tables['runs'])}")
    _check_row_counts(folder, manifest, tables)
    compare = _read_csv(folder / "compare.csv") if (folder / "compare.csv").is_file() else None
    return Results(folder=folder, manifest=manifest, compare=compare, **tables)


@dataclass
class Replay:
    """One `dais replay yuma` output folder: per (epoch, validator) and per (epoch, miner) tables."""

    folder: Path
    manifest: dict
    validators: pd.DataFrame
    miners: pd.DataFrame
    bonds: pd.DataFrame | None

    @property
    def version(self) -> str:
        return self.manifest["params"]["version"]


def load_replay(folder: str | os.PathLike) -> Replay:
    """Reads a `dais replay yuma` output folder."""
    folder = Path(folder)
    manifest = _read_manifest(folder, "`dais replay yuma INPUT --out FOLDER`")
    if manifest.get("command") != "replay yuma":
        raise NotAResultsFolder(
            f"{folder / 'manifest.json'}: expected \"command\": \"replay yuma\", found {manifest.get('command')!r}")
    tables = {name: _read_csv(folder / f"{name}.csv") if (folder / f"{name}.csv").is_file() else None
              for name in ("validators", "miners", "bonds")}
    for name in ("validators", "miners"):
        if tables[name] is None:
            raise NotAResultsFolder(f"{folder}: no {name}.csv")
    _check_row_counts(folder, manifest, tables)
    return Replay(folder=folder, manifest=manifest, **tables)


def dais_binary() -> Path:
    """The dais executable: $DAIS_BINARY (relative to the repository root), else the release build."""
    binary = REPO_ROOT / os.environ.get("DAIS_BINARY", "build/release/sim/app/dais")
    if not os.access(binary, os.X_OK):
        raise DaisError(f"{binary}: no dais executable; build it (cmake --build --preset release) or set DAIS_BINARY")
    return binary


def run_dais(*args: str | os.PathLike) -> subprocess.CompletedProcess:
    """Runs `dais ARGS...` from the repository root; DaisError carries its stderr when it fails."""
    command = [str(dais_binary()), *map(str, args)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise DaisError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr}")
    return done


def run_scenario(scenario: str | os.PathLike, out: str | os.PathLike, horizon: str | None = None,
                 replicates: int | None = None, overrides: dict | None = None, jobs: int | None = None) -> Results:
    """Runs a scenario (a path absolute or relative to the repository root) into `out` and loads it.

    With a horizon ("30d"), replicates or other top-level overrides, runs a small file that `extends` the
    scenario with them, so the scenario's name, and with it the design labels, stay the same. That file is
    temporary: the manifest's `scenario.resolved` keeps everything it said.
    """
    scenario = (REPO_ROOT / scenario).resolve()
    patch = dict(overrides or {})
    if horizon is not None:
        patch["horizon"] = horizon
    if replicates is not None:
        patch["replicates"] = replicates
    options = ["--out", Path(out).resolve(), "--quiet"] + (["--jobs", str(jobs)] if jobs else [])
    if not patch:
        run_dais("run", scenario, *options)
        return load(out)
    with tempfile.TemporaryDirectory(prefix="dais_notebook_") as scratch:
        extended = Path(scratch) / scenario.name
        extended.write_text(json.dumps({"extends": str(scenario), **patch}, indent=2))
        run_dais("run", extended, *options)
    return load(out)


def compare(results: Results, by: str, baseline: str | None = None, metrics: tuple[str, ...] = ()) -> pd.DataFrame:
    """Runs `dais compare` on the results' folder; returns compare.csv and keeps it in results.compare."""
    args = ["compare", results.folder.resolve(), "--by", by]
    if baseline is not None:
        args += ["--baseline", baseline]
    if metrics:
        args += ["--metric", *metrics]
    run_dais(*args)
    results.compare = _read_csv(results.folder / "compare.csv")
    return results.compare


def replay_yuma(case_file: str | os.PathLike, version: str, out: str | os.PathLike, bonds: bool = False) -> Replay:
    """Runs `dais replay yuma CASE --version V --out OUT` and loads the folder."""
    run_dais("replay", "yuma", Path(case_file).resolve(), "--version", version, "--out", Path(out).resolve(),
             *(["--bonds"] if bonds else []))
    return load_replay(out)


def plot_band(ax, results: Results, column: str, label: str | None = None, confidence: float = 0.95) -> None:
    """Each design's mean of an epochs.csv column over the replicates, with its confidence band shaded.

    Lines are labelled by design, after `label` when given (to tell columns apart on one axis).
    """
    band = results.epoch_band(column, confidence)
    for design, rows in band.groupby("design", sort=False):
        design_label = results.label(design) if len(results.designs) > 1 or label is None else None
        line, = ax.plot(rows["epoch"], rows["mean"], label=": ".join(filter(None, [label, design_label])))
        ax.fill_between(rows["epoch"], rows["low"], rows["high"], color=line.get_color(), alpha=0.25, linewidth=0)
    ax.set_xlabel(f"epoch ({results.manifest['scenario']['resolved']['epoch']} each)")
    ax.legend(title=f"mean, {confidence:.0%} band" if results.replicates > 1 else None)


def plot_by_role(axes, results: Results, column: str) -> None:
    """One box plot per role (one axis each) of an agents.csv column, a box per design."""
    for ax, (role, by_design) in zip(np.ravel(axes), results.final_by_role(column).items()):
        ax.boxplot(list(by_design.values()))
        ax.set_xticks(range(1, len(by_design) + 1), [results.label(d) for d in by_design])
        ax.set_title(role)
