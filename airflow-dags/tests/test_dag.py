"""The DAG file as Airflow's DAG processor sees it: it loads, has the right tasks, dependencies,
schedule and retry policy, and renders the right spark-submit arguments for a date."""

from __future__ import annotations

import ast
import re
from datetime import timedelta

import pytest
from conftest import DAG_ID, DAGS_FOLDER, JAR, LOCAL_SPARK_CONF, airflow, landing_root, warehouse_env

ENTITIES = ["customers", "products", "orders", "order_items", "campaigns", "interactions", "tickets"]
SENSORS = [f"wait_for_{entity}" for entity in ENTITIES]
MODELS = ["segment", "basket", "propensity", "recommend"]
JOB_TASKS = ["ingest", "clean", "features", *MODELS, "customer_scores", "publish"]


@pytest.fixture(autouse=True)
def _metadata_db(airflow_db):
    """The DAG file reads variables when parsed; a deployment has a migrated metadata DB behind them."""


def load_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    assert bag.import_errors == {}
    return bag.dags[DAG_ID]


def test_dagbag_loads_without_import_errors():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))

    assert bag.import_errors == {}
    assert list(bag.dags) == [DAG_ID]
    # .airflowignore keeps the tests out of the DAG processor's way.
    assert [stat.file for stat in bag.dagbag_stats] == ["crmlake_nightly.py"]


def test_task_graph():
    dag = load_dag()

    assert sorted(dag.task_ids) == sorted(SENSORS + JOB_TASKS)
    downstream = {task.task_id: sorted(task.downstream_task_ids) for task in dag.tasks}
    for sensor in SENSORS:
        assert downstream[sensor] == ["ingest"]
    assert downstream["ingest"] == ["clean"]
    assert downstream["clean"] == ["features"]
    assert downstream["features"] == sorted(MODELS)
    for model in MODELS:
        assert downstream[model] == ["customer_scores"]
    assert downstream["customer_scores"] == ["publish"]
    assert downstream["publish"] == []
    # Nothing else feeds the jobs: ingest waits for exactly the seven markers.
    assert sorted(dag.get_task("ingest").upstream_task_ids) == sorted(SENSORS)
    assert sorted(dag.get_task("customer_scores").upstream_task_ids) == sorted(MODELS)


def test_every_job_is_a_spark_submit_of_the_crmlake_jar():
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
    from airflow.providers.standard.sensors.filesystem import FileSensor

    dag = load_dag()

    for task_id in JOB_TASKS:
        task = dag.get_task(task_id)
        assert isinstance(task, SparkSubmitOperator)
        assert task._java_class == "io.crmlake.jobs.Main"
        assert task._conn_id == "spark_default"
        assert task.execution_timeout == timedelta(hours=4)
    assert dag.get_task("customer_scores").application_args[0] == "scores"
    for sensor_id, entity in zip(SENSORS, ENTITIES):
        sensor = dag.get_task(sensor_id)
        assert isinstance(sensor, FileSensor)
        assert sensor.fs_conn_id == "crmlake_landing"
        assert sensor.filepath == f"{entity}/{{{{ ds }}}}/_SUCCESS"
        assert sensor.mode == "reschedule"
        assert sensor.timeout == timedelta(hours=12).total_seconds()


def sensors_of(dag) -> dict[str, str]:
    """The sensors ingest waits for: task id -> the file each pokes for."""
    return {task_id: dag.get_task(task_id).filepath for task_id in sorted(dag.get_task("ingest").upstream_task_ids)}


def test_sensors_follow_a_flat_source_named_by_the_variable(monkeypatch: pytest.MonkeyPatch):
    # The shipped invoice-lines mapping (read from the jar) lands one folder per day.
    monkeypatch.setenv("AIRFLOW_VAR_CRMLAKE_SOURCE", "invoice-lines")
    dag = load_dag()

    assert sensors_of(dag) == {"wait_for_invoice_lines": "invoice_lines/{{ ds }}/_SUCCESS"}
    assert sorted(dag.task_ids) == sorted(["wait_for_invoice_lines", *JOB_TASKS])
    # The jobs read the mapping the sensors follow: the variable is passed on to each of them.
    for task_id in JOB_TASKS:
        assert dag.get_task(task_id).application_args[-2:] == ["--set", "source=invoice-lines"]


def test_sensors_follow_the_source_of_the_crmlake_conf_file(monkeypatch: pytest.MonkeyPatch, tmp_path):
    # No crmlake_source: the source the jobs' --conf file names, as crmlake reads it (HOCON).
    conf = tmp_path / "crmlake.conf"
    conf.write_text('crmlake {\n  # the shop\'s CRM\n  source = "salesforce"\n}\n', encoding="utf-8")
    monkeypatch.setenv("AIRFLOW_VAR_CRMLAKE_CONF_FILE", str(conf))
    dag = load_dag()

    folders = ["Contact", "Product2", "Order", "OrderItem", "Campaign", "CampaignMemberEvent", "Case"]
    assert sensors_of(dag) == {f"wait_for_{folder}": f"{folder}/{{{{ ds }}}}/_SUCCESS" for folder in folders}
    # The file already names it for the jobs.
    assert "source=salesforce" not in dag.get_task("ingest").application_args


def test_sensors_follow_a_mapping_file(monkeypatch: pytest.MonkeyPatch, tmp_path):
    # A mapping file of the user's own: folders renamed where it says so, the entity's name elsewhere.
    mapping = tmp_path / "shop.conf"
    mapping.write_text(
        'name = "shop"\nentities {\n  customers { folder = "kunden" }\n  order_items { folder = "order lines" }\n}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("AIRFLOW_VAR_CRMLAKE_SOURCE", str(mapping))
    dag = load_dag()

    folders = {entity: entity for entity in ENTITIES} | {"customers": "kunden", "order_items": "order lines"}
    expected = {sensor: f"{folders[entity]}/{{{{ ds }}}}/_SUCCESS" for sensor, entity in zip(SENSORS, ENTITIES)}
    expected = {key.replace("customers", "kunden").replace("order_items", "order_lines"): value for key, value in expected.items()}
    assert sensors_of(dag) == expected
    assert dag.get_task("clean").application_args[-2:] == ["--set", f"source={mapping}"]


def test_an_unknown_source_fails_the_dag_import_with_its_name(monkeypatch: pytest.MonkeyPatch):
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("AIRFLOW_VAR_CRMLAKE_SOURCE", "hubspot")
    bag = DagBag(dag_folder=str(DAGS_FOLDER))

    assert DAG_ID not in bag.dags
    [error] = bag.import_errors.values()
    assert "ships no source mapping named 'hubspot'" in error


def test_schedule_catchup_one_run_at_a_time_and_retries(monkeypatch: pytest.MonkeyPatch):
    # The tests turn retries off through the variable; the DAG's own default is what ships.
    monkeypatch.delenv("AIRFLOW_VAR_CRMLAKE_TASK_RETRIES")
    dag = load_dag()

    # A data-interval timetable: the run after the night of D processes batch D ({{ ds }} = D).
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.timetable.expression == "30 3 * * *"
    assert str(dag.timetable.timezone) == "UTC"
    assert dag.catchup is True
    assert dag.max_active_runs == 1
    assert dag.start_date.isoformat() == "2026-11-01T00:00:00+00:00"
    for task in dag.tasks:
        if task.task_id in JOB_TASKS:
            assert task.retries == 3
            assert task.retry_delay == timedelta(minutes=5)
            assert task.retry_exponential_backoff == 2.0
            assert task.max_retry_delay == timedelta(hours=1)
        assert [callback.__name__ for callback in task.on_failure_callback] == ["on_crmlake_failure"]
    # A night starts only when the previous night's ingest and clean succeeded (incremental exports).
    ingest = dag.get_task("ingest")
    assert ingest.depends_on_past is True
    assert ingest.wait_for_downstream is True


def test_schedule_comes_from_a_variable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AIRFLOW_VAR_CRMLAKE_SCHEDULE", "15 5 * * 1-5")
    dag = load_dag()

    assert dag.timetable.expression == "15 5 * * 1-5"
    assert dag.get_task("ingest").retries == 0  # crmlake_task_retries, as the tests set it


def rendered_fields(task_id: str, date: str, env: dict[str, str]) -> dict[str, str]:
    """`airflow tasks render` of one task: its template fields after rendering, by name."""
    result = airflow("tasks", "render", DAG_ID, task_id, date, env=env)
    assert result.returncode == 0, result.output
    fields = dict(re.findall(r"# property: (\w+)\n# -+\n(.*?)(?=\n# -+\n# property|\Z)", result.output, re.S))
    assert fields, result.output
    return fields


def test_rendered_spark_submit_arguments(airflow_db, tmp_path):
    warehouse, exports = tmp_path / "warehouse", tmp_path / "exports"
    env = warehouse_env(warehouse, exports)

    scores = rendered_fields("customer_scores", "2026-11-03", env)

    assert ast.literal_eval(scores["application_args"]) == [
        "scores", "--date", "2026-11-03",
        # No --conf: the variable crmlake_conf_file is not set, so the jar's defaults apply.
        "--set", f"landing={landing_root()}",  # the crmlake_landing connection's path
        "--set", f"warehouse={warehouse}",
        "--set", f"exports={exports}",
    ]  # fmt: skip
    assert scores["application"].strip() == str(JAR)
    assert scores["name"].strip() == "crmlake-scores-2026-11-03"
    assert ast.literal_eval(scores["conf"]) == LOCAL_SPARK_CONF  # the variable crmlake_spark_conf

    # Optional settings: a crmlake conf file, and a landing root for Spark other than the sensors'.
    env |= {"AIRFLOW_VAR_CRMLAKE_CONF_FILE": "/etc/crmlake/cluster.conf", "AIRFLOW_VAR_CRMLAKE_LANDING": "s3a://landing/crm"}
    ingest = rendered_fields("ingest", "2026-11-01", env)

    assert ast.literal_eval(ingest["application_args"]) == [
        "ingest", "--date", "2026-11-01",
        "--conf", "/etc/crmlake/cluster.conf",
        "--set", "landing=s3a://landing/crm",
        "--set", f"warehouse={warehouse}",
        "--set", f"exports={exports}",
    ]  # fmt: skip

