"""The notebooks: stored without outputs, and each one executed by nbconvert on small settings without error."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("DAIS_SOURCE_DIR", Path(__file__).resolve().parents[2]))
NOTEBOOKS = sorted((SOURCE_DIR / "notebooks").glob("*.ipynb"))
# Small enough for the test suite, large enough for two replicates to give a confidence band.
SMALL = {"DAIS_NOTEBOOK_HORIZON": "20d", "DAIS_NOTEBOOK_REPLICATES": "2"}


def code_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


class StoredNotebooks(unittest.TestCase):
    def test_the_four_notebooks_are_there(self):
        self.assertEqual([p.name for p in NOTEBOOKS], ["01_quickstart.ipynb", "02_compare_reward_designs.ipynb",
                                                       "03_yuma_validators.ipynb", "04_compute_market.ipynb"])

    def test_stored_without_outputs(self):
        for path in NOTEBOOKS:
            with self.subTest(notebook=path.name):
                notebook = json.loads(path.read_text())
                for cell in code_cells(notebook):
                    self.assertEqual(cell["outputs"], [], f"{path.name}: cell {cell['id']} has outputs")
                    self.assertIsNone(cell["execution_count"], f"{path.name}: cell {cell['id']} was executed")

    def test_each_opens_with_its_question_and_reads_its_parameters_from_the_environment(self):
        for path in NOTEBOOKS:
            with self.subTest(notebook=path.name):
                notebook = json.loads(path.read_text())
                intro = "".join(notebook["cells"][0]["source"])
                self.assertEqual(notebook["cells"][0]["cell_type"], "markdown")
                self.assertIn("Question", intro)
                self.assertIn("How to run it", intro)
                self.assertIn("DAIS_NOTEBOOK_OUT", "".join(code_cells(notebook)[0]["source"]))


class ExecutedNotebooks(unittest.TestCase):
    def test_the_python3_kernel_is_this_python(self):
        from jupyter_client.kernelspec import KernelSpecManager
        argv = KernelSpecManager().get_kernel_spec("python3").argv
        self.assertEqual(Path(argv[0]).resolve(), Path(sys.executable).resolve(),
                         f"the python3 kernel runs {argv[0]}, not {sys.executable}, which has the notebooks' packages")

    def test_every_notebook_runs_and_draws_its_charts(self):
        with tempfile.TemporaryDirectory(prefix="dais_notebooks_") as scratch:
            # The inline backend renders every figure to PNG, headless, so a chart that fails to draw fails here.
            env = dict(os.environ, **SMALL, DAIS_NOTEBOOK_OUT=str(Path(scratch) / "results"),
                       MPLBACKEND="module://matplotlib_inline.backend_inline")
            for path in NOTEBOOKS:
                with self.subTest(notebook=path.name):
                    done = subprocess.run(
                        [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                         "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=300",
                         "--output-dir", scratch, str(path)],
                        env=env, capture_output=True, text=True)
                    self.assertEqual(done.returncode, 0, done.stderr)
                    executed = json.loads((Path(scratch) / path.name).read_text())
                    outputs = [o for cell in code_cells(executed) for o in cell["outputs"]]
                    self.assertFalse([o for o in outputs if o["output_type"] == "error"])
                    for cell in code_cells(executed):
                        if "plt.show()" in "".join(cell["source"]):
                            charts = [o for o in cell["outputs"] if "image/png" in o.get("data", {})]
                            self.assertTrue(charts, f"{path.name}: cell {cell['id']} drew no chart")
                    warnings = [o["text"] for o in outputs if o.get("name") == "stderr"]
                    self.assertFalse(warnings, f"{path.name} wrote to stderr")


if __name__ == "__main__":
    unittest.main()
