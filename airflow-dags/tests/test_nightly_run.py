"""The DAG run for real: `airflow dags test` submits every crmlake job with spark-submit against the
session's generated landing zone, and a failing job fails its task with crmlake's one-line reason in
the log."""

from __future__ import annotations

import csv
import json
from collections import Counter

from conftest import BATCH_DATE, DAG_ID, Landing, NightlyRun, airflow, delta_rows, warehouse_env

JOB_TASKS = ["ingest", "clean", "features", "segment", "basket", "propensity", "recommend", "customer_scores", "publish"]
CRMLAKE_JOBS = ["ingest", "clean", "features", "segment", "basket", "propensity", "recommend", "scores", "publish"]


def test_nightly_dag_run_fills_the_gold_tables(local_nightly_run: NightlyRun, landing: Landing):
    run = local_nightly_run
    print(f"airflow dags test took {run.seconds:.0f} s")

    assert run.states and set(run.states.values()) == {"success"}, run.states
    assert len(run.states) == 7 + len(JOB_TASKS)
    # Each job went through spark-submit with the connection's master and the jar's main class.
    assert run.output.count("Spark-Submit cmd: spark-submit --master local[2]") == len(JOB_TASKS)
    assert run.output.count("--class io.crmlake.jobs.Main") >= len(JOB_TASKS)
    for entity in ["customers", "orders", "tickets"]:
        assert f"{entity}/{BATCH_DATE}/_SUCCESS" in run.output

    warehouse = run.warehouse
    scores = delta_rows(warehouse, "gold.customer_scores")
    customer_ids = [row["customer_id"] for row in scores]
    assert len(set(customer_ids)) == len(scores)
    # Every customer of the export is scored, but those clean rejected: customers with a quarantined
    # row and none in silver.
    quarantined = {
        json.loads(row["raw"]).get("customer_id")
        for row in delta_rows(warehouse, "silver.quarantine")
        if row["entity"] == "customers"
    }
    rejected = quarantined - {row["customer_id"] for row in delta_rows(warehouse, "silver.customers")}
    assert set(customer_ids) == landing.customer_ids - rejected, f"{len(landing.customer_ids)} exported, {len(rejected)} rejected"
    assert {str(row["as_of_date"]) for row in scores} == {BATCH_DATE}
    assert all(row["segment_name"] for row in scores)
    assert all(0.0 <= row["purchase_probability"] <= 1.0 for row in scores)
    deciles = Counter(row["propensity_decile"] for row in scores)
    assert set(deciles) == set(range(1, 11)), sorted(deciles.items())
    assert all(row["recommended_products"] for row in scores)

    features = delta_rows(warehouse, "gold.customer_features")
    assert {row["customer_id"] for row in features} == set(customer_ids)
    assert len(delta_rows(warehouse, "gold.customer_segments")) == len(scores)
    assert len(delta_rows(warehouse, "gold.purchase_propensity")) == len(scores)
    assert len(delta_rows(warehouse, "gold.recommendations")) >= len(scores)
    assert len(delta_rows(warehouse, "gold.association_rules")) > 0
    assert {row["segment_name"] for row in delta_rows(warehouse, "gold.segment_profiles")} == {
        row["segment_name"] for row in scores
    }
    registry = delta_rows(warehouse, "gold.model_registry")
    assert {"segment", "propensity", "recommend"} <= {row["model_name"] for row in registry}

    job_runs = [row for row in delta_rows(warehouse, "ops.job_runs") if str(row["batch_date"]) == BATCH_DATE]
    assert sorted(row["job"] for row in job_runs) == sorted(CRMLAKE_JOBS)
    assert {row["status"] for row in job_runs} == {"succeeded"}

    export = run.exports / "customer_scores" / BATCH_DATE / "customer_scores.csv"
    with export.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert sorted(row["customer_id"] for row in exported) == sorted(customer_ids)


def test_failing_job_fails_its_task_with_the_reason_in_the_log(airflow_db, crmlake_jar, landing: Landing, tmp_path):
    # The landing holds one export day, 2026-11-01, so none for 2026-11-05: ingest exits 1 with its
    # one-line reason.
    assert (landing.root / "customers" / BATCH_DATE / "_SUCCESS").is_file()
    assert not (landing.root / "customers" / "2026-11-05").exists()
    env = warehouse_env(tmp_path / "warehouse", tmp_path / "exports")
    result = airflow("tasks", "test", DAG_ID, "ingest", "2026-11-05", env=env)

    log = result.output
    assert "new_state=failed" in log, log[-5000:]
    assert "no export for customers on 2026-11-05" in log
    # The task's error is crmlake's line itself, not the provider's "Cannot execute: spark-submit ...".
    error_lines = [line for line in log.splitlines() if line.startswith("airflow.sdk.exceptions.AirflowException: ")]
    assert error_lines[-1].startswith("airflow.sdk.exceptions.AirflowException: crmlake ingest 2026-11-05: no export for customers on 2026-11-05: folder ")
    # ... and the failure hook saw it.
    assert "crmlake nightly 2026-11-05 failed at task ingest: crmlake ingest 2026-11-05: no export for customers" in log


def test_bad_configuration_fails_without_retries(airflow_db, crmlake_jar, tmp_path):
    # A --conf file that does not exist: crmlake exits 2, which no retry can fix, so the task fails
    # at once even with retries left. (Another date than the DAG run's: `tasks test` of a date that
    # has a run works on that run's task instance.)
    env = warehouse_env(tmp_path / "warehouse", tmp_path / "exports") | {
        "AIRFLOW_VAR_CRMLAKE_TASK_RETRIES": "3",
        "AIRFLOW_VAR_CRMLAKE_CONF_FILE": str(tmp_path / "missing.conf"),
    }
    result = airflow("tasks", "test", DAG_ID, "clean", "2026-11-02", env=env)

    log = result.output
    assert "new_state=failed" in log, log[-5000:]
    assert "up_for_retry" not in log
    assert "AirflowFailException: crmlake clean 2026-11-02: " in log
    assert "missing.conf" in log
