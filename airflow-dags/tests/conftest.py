"""Shared set-up of the DAG's tests: a throw-away Airflow installation and the local reference run.

Everything is real: Airflow 3 with a sqlite metadata DB in a temporary AIRFLOW_HOME, the crmlake jar
(built by Maven before these tests run) submitted with the spark-submit of the virtualenv's pyspark
4.2.0, Delta tables read back with delta-rs. Airflow is configured through the environment, as a
deployment would: ``AIRFLOW_CONN_*`` for connections, ``AIRFLOW_VAR_*`` for variables.

The machine has 2 cores and other Spark tests may run beside these, so only one Spark application
runs at a time (the tests run one after the other and each waits for its spark-submit), with
``local[2]`` and a 2 GB driver.
"""

from __future__ import annotations

import json
import os
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
SAMPLE_DATA = ROOT / "sample-data"
SAMPLE_DATE = "2026-11-01"
ENTITIES = ["customers", "products", "orders", "order_items", "campaigns", "interactions", "tickets"]
DAG_ID = "crmlake_nightly"
# The configuration of bin/crmlake's local runs (4 shuffle partitions, no UI, loopback) with smaller
# models (crmlake-test.conf includes conf/local.conf): the DAG's run and the cluster run both use
# it, so their tables can be compared.
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
    global _AIRFLOW_HOME
    _AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="crmlake-airflow-home."))
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
            "AIRFLOW_CONN_CRMLAKE_LANDING": json.dumps({"conn_type": "fs", "extra": {"path": str(SAMPLE_DATA)}}),
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
    if _AIRFLOW_HOME is not None:
        shutil.rmtree(_AIRFLOW_HOME, ignore_errors=True)


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
def local_nightly_run(airflow_db: Path, crmlake_jar: Path, tmp_path_factory: pytest.TempPathFactory) -> NightlyRun:
    """`airflow dags test` of the whole DAG for the sample's first day, local[2], into a temporary
    warehouse. The end-to-end test checks it; the cluster test compares its tables with a cluster run."""
    base = tmp_path_factory.mktemp("local-run")
    warehouse, exports = base / "warehouse", base / "exports"
    env = warehouse_env(warehouse, exports) | {"AIRFLOW_VAR_CRMLAKE_CONF_FILE": str(LOCAL_CONF)}
    result = airflow("dags", "test", DAG_ID, SAMPLE_DATE, env=env, timeout=2400)
    states = task_states(SAMPLE_DATE)
    print(task_durations(SAMPLE_DATE))
    if result.returncode != 0 or any(state != "success" for state in states.values()):
        print(result.output[-20000:])
    return NightlyRun(warehouse, exports, result.output, result.seconds, states)
