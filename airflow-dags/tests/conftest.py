"""Shared set-up of the DAG's tests: a throw-away Airflow installation, a small generated landing
zone and the local reference run.

Everything is real: Airflow 3 with a sqlite metadata DB in a temporary AIRFLOW_HOME, the crmlake jar
(built by Maven before these tests run) submitted with the spark-submit of the virtualenv's pyspark
4.2.0, Delta tables read back with delta-rs. Airflow is configured through the environment, as a
deployment would: ``AIRFLOW_CONN_*`` for connections, ``AIRFLOW_VAR_*`` for variables.

The landing zone is not the shipped sample-data/ (2,000 customers) but one export day of
LANDING_CUSTOMERS customers that the jar's own generator writes once per session into a temporary
folder (the ``landing`` fixture): the same kinds of data and dirt, an eighth of the rows. Figures
the tests check come from that landing (its ground truth) and from what clean quarantined, not from
constants tied to a data set.

The machine has 2 cores and other Spark tests may run beside these, so only one Spark application
runs at a time (the tests run one after the other and each waits for its spark-submit), with
``local[2]`` and a 2 GB driver.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow
import pytest
from deltalake import DeltaTable, QueryBuilder

ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = ROOT / "airflow-dags"
JAR = ROOT / "jobs" / "target" / "crmlake-jobs.jar"
# The generated landing zone: one full export (a year of history) of LANDING_CUSTOMERS customers for
# BATCH_DATE, written by the jar's generator with LANDING_SEED; an eighth of the sample's rows. Every
# check of the DAG run stays meaningful on it: each model trains (rules are mined, ALS is promoted)
# and every propensity decile 1..10 is used. The deciles depend on the data: the GBT gives many of
# the customers who stopped buying one and the same probability, and a tie across more than one
# decile boundary leaves the deciles between them empty. With the sample's seed 42 the largest tie
# was 23-41% of 200, 250, 300, 350 and 400 customers (one to three of deciles 7-9 empty), with
# seed 1 at 250 customers 25%; with seed 2 the 250 customers get 185 distinct probabilities, the
# largest tie 19 customers, and 20-29 customers in every decile (airflow-dags/README.md, "Tests").
LANDING_CUSTOMERS = 250
LANDING_SEED = 2
BATCH_DATE = "2026-11-01"
ENTITIES = ["customers", "products", "orders", "order_items", "campaigns", "interactions", "tickets"]
DAG_ID = "crmlake_nightly"
# The configuration of bin/crmlake's local runs (4 shuffle partitions, no UI, loopback) with smaller
# models (crmlake-test.conf includes conf/local.conf): the DAG's run and the cluster run both use
# it, on the same generated landing, so their tables can be compared.
LOCAL_CONF = ROOT / "airflow-dags" / "tests" / "crmlake-test.conf"
# The virtualenv's bin folder: airflow and pyspark's spark-submit / spark-class live there.
VENV_BIN = Path(sys.executable).parent

# What bin/crmlake's local launcher sets, as Spark properties for spark-submit: bind to loopback,
# no UI, Delta's state reconstruction in 2 tasks, its default collector (parallel), the project's
# quiet log4j2 configuration.
LOCAL_SPARK_CONF = {
    "spark.driver.memory": "2g",
    "spark.driver.host": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.driver.extraJavaOptions": f"-XX:+UseParallelGC -Dlog4j2.configurationFile=file:{ROOT / 'conf' / 'log4j2.properties'}",
}

_AIRFLOW_HOME: Path | None = None
# The landing folder: made in pytest_configure (the crmlake_landing connection names it), filled by
# the session fixture `landing`, which every test that reads the landing depends on.
_LANDING: Path | None = None


def delta_rows(warehouse: Path, table: str) -> list[dict]:
    """Every row of a table of the warehouse ("gold.customer_scores"), read with delta-rs.

    Through delta-rs's own query engine: DeltaTable.to_pyarrow_table() reads through pyarrow's
    dataset scanner, whose threads outlive the read with deltalake 1.6.6 and pyarrow 26 and abort
    the interpreter at exit ("terminate called without an active exception"), after every test
    passed."""
    db, name = table.split(".")
    found = DeltaTable(str(warehouse / db / name))
    return pyarrow.table(QueryBuilder().register("t", found).execute("SELECT * FROM t")).to_pylist()


def pytest_configure(config: pytest.Config) -> None:
    """Points Airflow at a fresh home before any test module imports it (Airflow reads its
    configuration once, at import)."""
    global _AIRFLOW_HOME, _LANDING
    _AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="crmlake-airflow-home."))
    _LANDING = Path(tempfile.mkdtemp(prefix="crmlake-dag-landing."))
    os.environ.update(
        {
            "AIRFLOW_HOME": str(_AIRFLOW_HOME),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_AIRFLOW_HOME / 'airflow.db'}",
            # Spark binds to loopback (this host's name resolves to another interface).
            "SPARK_LOCAL_IP": "127.0.0.1",
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            # The connections and variables a deployment sets (airflow-dags/README.md).
            "AIRFLOW_CONN_SPARK_DEFAULT": json.dumps({"conn_type": "spark", "host": "local[2]"}),
            "AIRFLOW_CONN_CRMLAKE_LANDING": json.dumps({"conn_type": "fs", "extra": {"path": str(_LANDING)}}),
            "AIRFLOW_VAR_CRMLAKE_JAR": str(JAR),
            "AIRFLOW_VAR_CRMLAKE_SPARK_CONF": json.dumps(LOCAL_SPARK_CONF),
            # A failed task fails at once instead of waiting 5 minutes for its first retry.
            "AIRFLOW_VAR_CRMLAKE_TASK_RETRIES": "0",
        }
    )
    # Each test that runs jobs sets its own warehouse and exports.
    for name in ("AIRFLOW_VAR_CRMLAKE_WAREHOUSE", "AIRFLOW_VAR_CRMLAKE_EXPORTS", "AIRFLOW_VAR_CRMLAKE_CONF_FILE"):
        os.environ.pop(name, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in (_AIRFLOW_HOME, _LANDING):
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def landing_root() -> Path:
    """The landing folder, as the crmlake_landing connection names it (empty until the `landing`
    fixture generated it)."""
    assert _LANDING is not None
    return _LANDING


@dataclass
class CommandResult:
    args: list[str]
    returncode: int
    output: str
    seconds: float


def run(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 900) -> CommandResult:
    """Runs a command with the test environment (plus `env`), stdout and stderr together."""
    started = time.monotonic()
    completed = subprocess.run(
        args,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    result = CommandResult(args, completed.returncode, completed.stdout, time.monotonic() - started)
    print(f"$ {' '.join(args)}  -> exit {result.returncode} in {result.seconds:.0f} s")
    return result


def airflow(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> CommandResult:
    return run([str(VENV_BIN / "airflow"), *args], env=env, timeout=timeout)


def warehouse_env(warehouse: Path, exports: Path) -> dict[str, str]:
    return {"AIRFLOW_VAR_CRMLAKE_WAREHOUSE": str(warehouse), "AIRFLOW_VAR_CRMLAKE_EXPORTS": str(exports)}


def task_states(logical_date: str) -> dict[str, str]:
    """Task id -> state of the DAG's task instances in the metadata DB, for the run of one logical
    date (a manual run's id carries the time it was made, not its logical date)."""
    assert _AIRFLOW_HOME is not None
    with sqlite3.connect(_AIRFLOW_HOME / "airflow.db") as db:
        rows = db.execute(
            "SELECT ti.task_id, ti.state FROM task_instance ti"
            " JOIN dag_run dr ON dr.dag_id = ti.dag_id AND dr.run_id = ti.run_id"
            " WHERE ti.dag_id = ? AND dr.logical_date LIKE ?",
            (DAG_ID, f"{logical_date}%"),
        ).fetchall()
    return dict(rows)


def task_durations(logical_date: str) -> str:
    """A table of the run's tasks with their seconds, for the test's output."""
    assert _AIRFLOW_HOME is not None
    with sqlite3.connect(_AIRFLOW_HOME / "airflow.db") as db:
        rows = db.execute(
            "SELECT ti.task_id, ti.state, ti.duration FROM task_instance ti"
            " JOIN dag_run dr ON dr.dag_id = ti.dag_id AND dr.run_id = ti.run_id"
            " WHERE ti.dag_id = ? AND dr.logical_date LIKE ? ORDER BY ti.start_date",
            (DAG_ID, f"{logical_date}%"),
        ).fetchall()
    return "\n".join(f"{task:<22} {state:<8} {duration or 0:7.1f} s" for task, state, duration in rows)


@pytest.fixture(scope="session")
def crmlake_jar() -> Path:
    if not JAR.is_file():
        pytest.fail(f"{JAR} is missing: these tests run after Maven built it (bin/test, or mvn -DskipTests package)")
    return JAR


def java17_flags() -> list[str]:
    """The JVM flags bin/crmlake passes for Spark's classes on Java 17 (its JAVA17_FLAGS), read from
    the script, so the two launches of the jar outside spark-submit cannot drift apart."""
    script = (ROOT / "bin" / "crmlake").read_text(encoding="utf-8")
    block = re.search(r"^JAVA17_FLAGS=\((.*?)^\)", script, re.MULTILINE | re.DOTALL)
    assert block, "bin/crmlake no longer defines JAVA17_FLAGS=( ... )"
    flags = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    flags = [flag for flag in flags if flag]
    assert "--add-opens=java.base/java.lang=ALL-UNNAMED" in flags, flags
    return flags


@dataclass
class Landing:
    root: Path
    date: str
    # The customers the generator exported on the date: its ground truth's customers who signed up
    # by then (with one export day, all of them).
    customer_ids: set[str]


@pytest.fixture(scope="session")
def landing(crmlake_jar: Path) -> Landing:
    """Fills the landing folder once per session: `crmlake generate --customers LANDING_CUSTOMERS
    --seed LANDING_SEED --days 1` (deterministic: same options, same bytes), launched as bin/crmlake launches the jar (its Java 17
    flags, the parallel collector, UTC, the project's log4j2 configuration) on the Spark jars of the
    pyspark that runs the jobs: bin/crmlake's Maven classpath file is written only by bin/crmlake's
    own build, and the generator needs Spark's type classes only."""
    import pyspark

    root = landing_root()
    spark_jars = Path(pyspark.__file__).parent / "jars"
    generate = [
        "java", *java17_flags(), "-XX:+UseParallelGC", "-Duser.timezone=UTC",
        f"-Dlog4j2.configurationFile={ROOT / 'conf' / 'log4j2.properties'}",
        "-cp", f"{crmlake_jar}{os.pathsep}{spark_jars / '*'}", "io.crmlake.jobs.Main", "generate",
        "--customers", str(LANDING_CUSTOMERS), "--seed", str(LANDING_SEED), "--days", "1", "--first-date", BATCH_DATE,
        "--out", str(root),
    ]  # fmt: skip
    result = run(generate, timeout=300)
    print(result.output)
    assert result.returncode == 0, result.output
    for entity in ENTITIES:
        assert (root / entity / BATCH_DATE / "_SUCCESS").is_file(), f"no {entity} export for {BATCH_DATE}"
    with (root / "_ground_truth" / "customers.csv").open(newline="", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert len(truth) == LANDING_CUSTOMERS
    customer_ids = {row["customer_id"] for row in truth if row["signup_date"] <= BATCH_DATE}
    # The export holds exactly those customers (some rows twice: planted duplicates and versions).
    exported = set()
    for file in (root / "customers" / BATCH_DATE).glob("*.csv"):
        with file.open(newline="", encoding="utf-8") as handle:
            exported |= {row["customer_id"] for row in csv.DictReader(handle)}
    assert exported == customer_ids
    return Landing(root, BATCH_DATE, customer_ids)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """The metadata DB, migrated once per session."""
    result = airflow("db", "migrate")
    assert result.returncode == 0, result.output
    assert _AIRFLOW_HOME is not None
    return _AIRFLOW_HOME


@dataclass
class NightlyRun:
    warehouse: Path
    exports: Path
    output: str
    seconds: float
    states: dict[str, str]


@pytest.fixture(scope="session")
def local_nightly_run(
    airflow_db: Path, crmlake_jar: Path, landing: Landing, tmp_path_factory: pytest.TempPathFactory
) -> NightlyRun:
    """`airflow dags test` of the whole DAG for the generated landing's day, local[2], into a
    temporary warehouse. The end-to-end test checks it; the cluster test compares its tables with a
    cluster run."""
    base = tmp_path_factory.mktemp("local-run")
    warehouse, exports = base / "warehouse", base / "exports"
    env = warehouse_env(warehouse, exports) | {"AIRFLOW_VAR_CRMLAKE_CONF_FILE": str(LOCAL_CONF)}
    result = airflow("dags", "test", DAG_ID, BATCH_DATE, env=env, timeout=2400)
    states = task_states(BATCH_DATE)
    print(task_durations(BATCH_DATE))
    if result.returncode != 0 or any(state != "success" for state in states.values()):
        print(result.output[-20000:])
    return NightlyRun(warehouse, exports, result.output, result.seconds, states)
