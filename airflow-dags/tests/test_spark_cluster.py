"""The same jar on a real Spark standalone cluster (bin/spark-cluster: one master, one worker on
127.0.0.1): `nightly` for the generated landing's day must leave the same tables as the local-mode
run of the DAG (the session's reference run, same landing, same crmlake-test.conf), up to what is
meant to differ between two runs."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from conftest import BATCH_DATE, ENTITIES, JAR, LOCAL_CONF, LOCAL_SPARK_CONF, ROOT, VENV_BIN, Landing, NightlyRun, delta_rows, run

CLUSTER_SCRIPT = str(ROOT / "bin" / "spark-cluster")

# Every table the nightly run writes. Gold tables are compared by key (their values are computed,
# floats among them); the others hold delivered or cleaned rows and are compared as whole rows
# (bronze keeps exact duplicates, so it has no key).
KEYED_TABLES = {
    "gold.customer_features": ["customer_id", "as_of_date"],
    "gold.customer_segments": ["customer_id", "as_of_date"],
    "gold.segment_profiles": ["as_of_date", "segment_name"],
    "gold.segment_history": ["customer_id", "valid_from"],
    "gold.segment_transitions": ["as_of_date", "from_segment", "to_segment"],
    "gold.association_rules": ["as_of_date", "antecedent", "consequent"],
    "gold.purchase_propensity": ["customer_id", "as_of_date"],
    "gold.recommendations": ["customer_id", "as_of_date", "rank"],
    "gold.model_registry": ["model_name", "model_version"],
    "gold.customer_scores": ["customer_id"],
}
ROW_TABLES = [
    *(f"bronze.{e}" for e in ENTITIES),
    *(f"silver.{e}" for e in ENTITIES),
    "silver.quarantine",
    "ops.dq_results",
    "ops.job_runs",
]
# Columns that say when or in which run a row was written: they differ between any two runs.
RUN_COLUMNS = {"_run_id", "_ingested_at", "run_id", "trained_at", "started_at", "finished_at"}
# JSON held as text, compared parsed: the registry's metrics are sums over partitions (AUC, MAP)
# whose last bit differs between the local and the cluster run.
JSON_COLUMNS = {"gold.model_registry": {"params", "metrics", "baseline_metrics"}}
RUN_COLUMNS_BY_TABLE = {
    # The time of the MERGE that wrote the row.
    "gold.customer_scores": {"updated_at"},
    # The job's summary line, with its duration in it.
    "ops.job_runs": {"message"},
}


@pytest.fixture(scope="module")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory):
    """A standalone cluster for this module, stopped afterwards whatever happened.

    Its state lives in a folder of its own (not the default target/spark-cluster, where a developer
    may have one running), seeded with stale pid files: a crashed earlier cluster leaves those, and
    `start` must see through them (one names a live process that is no Spark master: this one)."""
    state = tmp_path_factory.mktemp("spark-cluster")
    (state / "master.pid").write_text(f"{os.getpid()}\n")
    (state / "worker.pid").write_text("999999999\n")
    (state / "master.port").write_text("1\n")
    env = {"SPARK_CLUSTER_STATE": str(state), "SPARK_HOME": str(_pyspark_home())}
    assert run([CLUSTER_SCRIPT, "status"], env=env).returncode == 3
    try:
        started = run([CLUSTER_SCRIPT, "start"], env=env, timeout=180)
        assert started.returncode == 0, started.output
        url = started.output.strip().splitlines()[-1]
        assert url.startswith("spark://127.0.0.1:"), started.output
        yield url, env
    finally:
        stopped = run([CLUSTER_SCRIPT, "stop"], env=env, timeout=120)
        assert stopped.returncode == 0, stopped.output
        assert run([CLUSTER_SCRIPT, "status"], env=env).returncode == 3
        # Stopping what is not running is fine too.
        assert run([CLUSTER_SCRIPT, "stop"], env=env).returncode == 0
        assert not list(state.glob("*.pid"))


def _pyspark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def test_cluster_script_is_idempotent(spark_cluster):
    url, env = spark_cluster

    again = run([CLUSTER_SCRIPT, "start"], env=env, timeout=60)
    assert again.returncode == 0
    assert again.output.strip().splitlines()[-1] == url
    assert "already running" in again.output
    status = run([CLUSTER_SCRIPT, "status"], env=env)
    assert status.returncode == 0 and status.output.strip().splitlines()[-1] == url


def test_nightly_on_the_cluster_equals_the_local_run(spark_cluster, local_nightly_run: NightlyRun, landing: Landing, tmp_path):
    url, _ = spark_cluster
    assert set(local_nightly_run.states.values()) == {"success"}, "the local reference run failed"
    warehouse, exports = tmp_path / "warehouse", tmp_path / "exports"

    submit = [str(VENV_BIN / "spark-submit"), "--master", url, "--class", "io.crmlake.jobs.Main"]
    for key, value in LOCAL_SPARK_CONF.items():
        submit += ["--conf", f"{key}={value}"]
    submit += [
        str(JAR), "nightly", "--date", BATCH_DATE, "--conf", str(LOCAL_CONF),
        "--set", f"landing={landing.root}", "--set", f"warehouse={warehouse}", "--set", f"exports={exports}",
    ]  # fmt: skip
    result = run(submit, timeout=1500)
    assert result.returncode == 0, result.output[-10000:]
    # The work really ran on the cluster's executors: the worker kept a folder for this application.
    app_dirs = list((Path(spark_cluster[1]["SPARK_CLUSTER_STATE"]) / "work").glob("app-*"))
    assert app_dirs, "no application folder under the worker's work dir"

    differences = {}
    for table, keys in KEYED_TABLES.items():
        ignored = RUN_COLUMNS | RUN_COLUMNS_BY_TABLE.get(table, set())
        local = _keyed(local_nightly_run.warehouse, table, keys, ignored)
        cluster = _keyed(warehouse, table, keys, ignored)
        assert local, f"{table} is empty"
        if diff := _compare(local, cluster):
            differences[table] = diff
    for table in ROW_TABLES:
        ignored = RUN_COLUMNS | RUN_COLUMNS_BY_TABLE.get(table, set())
        local = _rows(local_nightly_run.warehouse, table, ignored)
        cluster = _rows(warehouse, table, ignored)
        assert local, f"{table} is empty"
        if local != cluster:
            only_local = [r for r in local if r not in cluster][:3]
            only_cluster = [r for r in cluster if r not in local][:3]
            differences[table] = [f"{len(local)} local rows, {len(cluster)} cluster rows; only local {only_local}; only cluster {only_cluster}"]
    assert differences == {}


def _rows(warehouse: Path, table: str, ignored: set[str]) -> list[tuple]:
    """The table's rows without the run columns, sorted: a multiset of rows."""
    rows = [
        tuple((c, _normalise(v, warehouse)) for c, v in sorted(row.items()) if c not in ignored)
        for row in delta_rows(warehouse, table)
    ]
    return sorted(rows, key=repr)


def _keyed(warehouse: Path, table: str, keys: list[str], ignored: set[str]) -> dict[tuple, dict]:
    data = delta_rows(warehouse, table)
    by_key: dict[tuple, dict] = {}
    for row in data:
        key = tuple(_normalise(row[k], warehouse) for k in keys)
        assert key not in by_key, f"{table}: key {key} twice"
        json_columns = JSON_COLUMNS.get(table, set())
        by_key[key] = {
            c: _normalise(json.loads(v) if c in json_columns and v is not None else v, warehouse)
            for c, v in row.items()
            if c not in ignored
        }
    return by_key


def _normalise(value, warehouse: Path):
    """Paths into the warehouse differ by the warehouse's root; lists of structs get a stable form."""
    if isinstance(value, str):
        return value.replace(f"file:{warehouse}", "<warehouse>").replace(str(warehouse), "<warehouse>")
    if isinstance(value, list):
        return tuple(_normalise(v, warehouse) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normalise(v, warehouse)) for k, v in value.items()))
    return value


def _compare(local: dict, cluster: dict) -> list[str]:
    found = []
    if local.keys() != cluster.keys():
        found.append(f"keys only local: {sorted(local.keys() - cluster.keys())[:5]}, only cluster: {sorted(cluster.keys() - local.keys())[:5]}")
    for key in sorted(local.keys() & cluster.keys(), key=repr):
        for column, a in local[key].items():
            b = cluster[key].get(column)
            if not _same(a, b):
                found.append(f"{key} {column}: local {a!r} cluster {b!r}")
                if len(found) >= 10:
                    return found
    return found


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b
