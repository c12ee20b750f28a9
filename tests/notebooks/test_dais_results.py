"""notebooks/dais_results.py on a real small sweep: shapes, the confidence band by hand, exact amounts, errors."""

import decimal
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("DAIS_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_DIR / "notebooks"))
import dais_results as dr  # noqa: E402

RULE = "rewards.compute_provider.rule"
EPOCHS = 10
REPLICATES = 3


class SmallSweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = Path(tempfile.mkdtemp(prefix="dais_notebooks_test_"))
        cls.results = dr.run_scenario("scenarios/compare_compute_rules.json", cls.scratch / "sweep",
                                      horizon=f"{EPOCHS}d", replicates=REPLICATES, jobs=1)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch)

    def test_tables_have_a_row_per_run_per_epoch_and_per_agent(self):
        r = self.results
        self.assertEqual(r.designs, [f"{RULE}=proportional", f"{RULE}=stake_weighted"])
        self.assertEqual(r.sweep_columns, [RULE])
        self.assertEqual(r.replicates, REPLICATES)
        self.assertEqual(len(r.runs), 2 * REPLICATES)
        self.assertEqual(list(r.runs["run_id"]), list(range(2 * REPLICATES)))
        self.assertEqual(len(r.epochs), 2 * REPLICATES * EPOCHS)
        self.assertEqual(len(r.agents), r.manifest["files"]["agents.csv"])
        self.assertEqual(set(r.agents["role"]), {"data_provider", "developer", "compute_provider"})
        self.assertIsNone(r.transfers)
        self.assertIsNone(r.compare)
        self.assertEqual([r.label(d) for d in r.designs], ["proportional", "stake_weighted"])
        self.assertEqual(r.epochs["emission_tokens"].dtype, float)

    def test_band_is_the_student_t_interval_of_the_replicates(self):
        band = self.results.epoch_band("gini_rewards")
        self.assertEqual(len(band), 2 * EPOCHS)
        design, epoch = self.results.designs[1], 4
        epochs = self.results.epochs
        values = list(epochs[(epochs["design"] == design) & (epochs["epoch"] == epoch)]["gini_rewards"])
        self.assertEqual(len(values), REPLICATES)
        # Student's t with 2 degrees of freedom has the closed form t_p = (2p - 1) / sqrt(2p(1 - p)).
        p = 0.975
        t = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
        mean = sum(values) / len(values)
        half_width = t * statistics.stdev(values) / math.sqrt(len(values))
        row = band[(band["design"] == design) & (band["epoch"] == epoch)].iloc[0]
        self.assertEqual(row["n"], REPLICATES)
        self.assertAlmostEqual(row["mean"], mean, places=12)
        self.assertAlmostEqual(row["low"], mean - half_width, places=9)
        self.assertAlmostEqual(row["high"], mean + half_width, places=9)
        self.assertGreater(half_width, 0)

    def test_exact_amounts_keep_every_base_unit(self):
        r = self.results
        epochs = r.epochs
        paid = [r.exact("epochs", f"rewards_{role}_tokens") for role in ("data_provider", "developer", "compute_provider")]
        unpaid = r.exact("epochs", "unpaid_tokens")
        emission = r.exact("epochs", "emission_tokens")
        with decimal.localcontext() as context:
            context.prec = 80
            for i in range(len(epochs)):
                self.assertEqual(sum(p[i] for p in paid) + unpaid[i], emission[i])
        # Amounts with 18 decimals that a double cannot hold: the exact value differs from the float.
        self.assertTrue(any(decimal.Decimal(f) != d for f, d in zip(epochs["emission_tokens"], emission)))
        self.assertTrue(all(float(d) == f for f, d in zip(epochs["emission_tokens"], emission)))

    def test_final_distributions_hold_every_agent_once(self):
        by_role = self.results.final_by_role("roi")
        self.assertEqual(list(by_role), list(dict.fromkeys(self.results.agents["role"])))
        self.assertEqual(sum(len(v) for d in by_role.values() for v in d.values()), len(self.results.agents))
        for by_design in by_role.values():
            self.assertEqual(list(by_design), self.results.designs)

    def test_compare_reads_what_dais_compare_wrote(self):
        folder = self.scratch / "compared"
        shutil.copytree(self.results.folder, folder)
        results = dr.load(folder)
        table = dr.compare(results, RULE, metrics=("gini_rewards", "retention_initial"))
        self.assertEqual(list(table["metric"]), ["gini_rewards", "retention_initial"])
        self.assertEqual(set(table[RULE]), {"stake_weighted"})
        self.assertEqual(set(table["pairs"]), {REPLICATES})
        self.assertEqual(len(dr.load(folder).compare), 2)

    def test_a_folder_that_is_not_a_results_folder_is_refused_clearly(self):
        empty = self.scratch / "empty"
        empty.mkdir(exist_ok=True)
        with self.assertRaisesRegex(dr.NotAResultsFolder, "empty: not a dais results folder: no manifest.json"):
            dr.load(empty)
        with self.assertRaisesRegex(dr.NotAResultsFolder, "missing: no such folder"):
            dr.load(self.scratch / "missing")
        with self.assertRaisesRegex(dr.NotAResultsFolder, "expected a results folder, found a file"):
            dr.load(self.results.folder / "runs.csv")
        (empty / "manifest.json").write_text("{\"runs\": ")
        with self.assertRaisesRegex(dr.NotAResultsFolder, r"manifest.json: expected JSON, found an error at 1:10"):
            dr.load(empty)
        with self.assertRaisesRegex(dr.NotAResultsFolder, "expected \"command\": \"replay yuma\""):
            dr.load_replay(self.results.folder)

    def test_a_truncated_table_is_refused(self):
        folder = self.scratch / "truncated"
        shutil.copytree(self.results.folder, folder)
        lines = (folder / "epochs.csv").read_text().splitlines(keepends=True)
        (folder / "epochs.csv").write_text("".join(lines[:-1]))
        with self.assertRaisesRegex(dr.NotAResultsFolder, f"epochs.csv: manifest.json says {len(lines) - 1} rows, found {len(lines) - 2}"):
            dr.load(folder)
        (folder / "epochs.csv").unlink()
        with self.assertRaisesRegex(dr.NotAResultsFolder, "manifest.json lists epochs.csv, but the folder has no epochs.csv"):
            dr.load(folder)

    def test_dais_failures_carry_its_message(self):
        with self.assertRaisesRegex(dr.DaisError, "exited with 2"):
            dr.run_dais("run", self.scratch / "no_such_scenario.json")
        previous = os.environ.get("DAIS_BINARY")
        os.environ["DAIS_BINARY"] = str(self.scratch / "no_dais")
        try:
            with self.assertRaisesRegex(dr.DaisError, "no_dais: no dais executable"):
                dr.run_dais("--help")
        finally:
            if previous is None:
                del os.environ["DAIS_BINARY"]
            else:
                os.environ["DAIS_BINARY"] = previous


class YumaReplay(unittest.TestCase):
    def test_a_replay_has_a_row_per_epoch_and_validator(self):
        case = dr.SHARED_DIR / "yuma-cases" / "case11_YUMA3_bp1.0.json"
        inputs = json.loads(case.read_text())
        with tempfile.TemporaryDirectory() as scratch:
            replay = dr.replay_yuma(case, "yuma2c", Path(scratch) / "replay", bonds=True)
            with self.assertRaisesRegex(dr.NotAResultsFolder, "written by `dais replay yuma`; read it with load_replay"):
                dr.load(replay.folder)
        epochs, validators, servers = inputs["num_epochs"], len(inputs["validators"]), len(inputs["servers"])
        self.assertEqual(replay.version, "yuma2c")
        self.assertEqual(len(replay.validators), epochs * validators)
        self.assertEqual(len(replay.miners), epochs * servers)
        self.assertEqual(len(replay.bonds), epochs * validators * servers)
        self.assertEqual(list(replay.validators["validator_name"][:validators]), inputs["validators"])


if __name__ == "__main__":
    unittest.main()
