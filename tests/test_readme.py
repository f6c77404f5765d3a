"""The README's example runs, and prints what its comments say."""
import os
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_readme_starts_with_the_two_setup_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    commands = lines[lines.index("```sh") + 1:lines.index("```sh") + 3]
    assert commands[0].endswith("pip install -e . && python -m autotrace tour")
    assert commands[1].endswith("pip install -e '.[test]' && python -m pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_the_test_command_shows_pytest_closing_line():
    """One -q in all (pyproject's addopts has it): -qq would hide "N passed"."""
    addopts = re.search(r'^addopts = "(.*)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    lines = (ROOT / "README.md").read_text().splitlines()
    command = lines[lines.index("```sh") + 2]
    options = addopts.group(1).split() + command.split("python -m pytest", 1)[1].split()
    assert sum(o.count("q") for o in options if o.startswith("-") and
               not o.startswith("--")) == 1


def test_readme_example_runs_and_prints_what_it_says(tmp_path):
    example = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)[0]
    script = tmp_path / "readme_example.py"
    script.write_text(example)
    # PYTHONPATH: run this checkout's autotrace, whichever copy is installed
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    out = run.stdout.splitlines()
    assert out[0] == "tf.Tensor(111, shape=(), dtype=int32)"
    assert out[1] == "tf.Tensor(118, shape=(), dtype=int32)"
    assert "(n, steps) = ag__.while_stmt(loop_test, loop_body, (n, steps), ('n', 'steps'), " \
           "None)" in run.stdout
    assert "while      : (int32[], int32[]) = StatelessWhile(n, Const) {n_vars=2}" in out
    assert "trace 2: argument n: int32[] -> Python int 5" in out
    assert out[-1] == "tf.Tensor(6.0, shape=(), dtype=float32)"
    assert run.stderr == ""
