"""crmlake's nightly run as an Airflow 3 DAG.

For every batch date: one sensor per landing folder of the configured source mapping waits for the
day's ``_SUCCESS`` marker, then the crmlake jobs run as ``spark-submit`` applications of the crmlake
jar, in this order::

    wait_for_<folder> (x 7 for the canonical entities) -> ingest -> clean -> features -> segment, basket, propensity, recommend
                          -> customer_scores (crmlake job `scores`) -> publish

The batch date is the run's ``{{ ds }}``. The schedule is a cron expression over *data intervals*:
the run that starts at 03:30 UTC on 2026-11-02 processes the batch 2026-11-01 (the export that the
CRM finished during that day), and a backfill of a month is one run per day, in date order, one at
a time.

Settings (all documented in airflow-dags/README.md):

* connection ``spark_default`` (type spark): where spark-submit sends the jobs (``local[2]``,
  ``spark://host:7077``, ``yarn``, ``k8s://...``; deploy mode in its extra);
* connection ``crmlake_landing`` (type fs, extra ``{"path": ...}``): the landing root as the
  Airflow workers see it, for the sensors;
* variables ``crmlake_jar`` (required), ``crmlake_warehouse``, ``crmlake_exports``,
  ``crmlake_landing`` (the landing root as Spark sees it; default: the connection's path),
  ``crmlake_conf_file`` (a crmlake ``--conf`` file), ``crmlake_spark_conf`` (JSON object of Spark
  properties), read when a task runs; ``crmlake_schedule``, ``crmlake_start_date``,
  ``crmlake_task_retries`` and ``crmlake_source``, read when the DAG file is parsed.

The landing folders the sensors wait for are those of the source mapping the jobs read: the variable
``crmlake_source`` (a mapping shipped in the jar, e.g. ``invoice-lines``, or a path to a mapping
file; passed on to every job as ``--set source=...``), else the ``crmlake.source`` of the
``crmlake_conf_file`` when the DAG processor can read that file, else ``canonical``: one folder per
entity for an entity-by-entity export, the one ``invoice_lines`` folder for a flat invoice-line
export.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.standard.sensors.filesystem import FileSensor
from airflow.sdk import DAG, CronDataIntervalTimetable, Variable, chain
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from pyhocon import ConfigFactory, ConfigTree

log = logging.getLogger(__name__)

DAG_ID = "crmlake_nightly"
MAIN_CLASS = "io.crmlake.jobs.Main"

# The landing entities, in the order ingest reads them (DESIGN.md, "Landing (input) layout").
ENTITIES = ("customers", "products", "orders", "order_items", "campaigns", "interactions", "tickets")
# The source mapping crmlake reads when nothing names one (conf/application.conf, crmlake.source).
DEFAULT_SOURCE = "canonical"
# Where the jar keeps the mappings it ships, by name (SourceMapping.load).
SHIPPED_MAPPING = "crmlake/sources/{}.conf"
# The four model jobs: independent of each other, so they run in parallel.
MODEL_JOBS = ("segment", "basket", "propensity", "recommend")

# Read when the file is parsed (a schedule must be known before any run exists), so a change takes
# effect at the next parse. Cron in UTC; default 03:30, after the CRMs' nightly exports.
DEFAULT_SCHEDULE = "30 3 * * *"
# The first batch date a fresh installation backfills from (catchup): the sample data's first day.
DEFAULT_START_DATE = "2026-11-01"
# Retries of a failed task (0 turns them off, e.g. in tests), with exponential backoff from 5 min.
DEFAULT_RETRIES = 3

# The one line crmlake prints on stderr when a job fails: "crmlake <job> <date>: <reason>".
_REASON_LINE = re.compile(r"^crmlake \S+ \d{4}-\d{2}-\d{2}: .+$", re.MULTILINE)
# How the provider's hook reports spark-submit's exit code.
_EXIT_CODE = re.compile(r"Error code is: (\d+)")
# crmlake's exit code for bad usage or configuration: a retry cannot fix it.
EXIT_BAD_CONFIG = 2


def configured_source() -> tuple[str, bool]:
    """The source mapping the jobs read, and whether the DAG must pass it to them.

    The variable ``crmlake_source`` wins and is passed to every job (``--set source=...``, which
    overrides any configuration file), so sensors and jobs cannot disagree. Without it, the
    ``crmlake.source`` of the ``crmlake_conf_file`` the jobs get, when this process can read the
    file (in cluster deploy mode it may live elsewhere: then set the variable); else the default.
    """
    named = Variable.get("crmlake_source", default="").strip()
    if named:
        return named, True
    conf_file = Variable.get("crmlake_conf_file", default="").strip()
    if conf_file and Path(conf_file).is_file():
        return str(ConfigFactory.parse_file(conf_file).get("crmlake.source", DEFAULT_SOURCE)), False
    return DEFAULT_SOURCE, False


def landing_folders(source: str, jar: str) -> list[str]:
    """The landing folders a source mapping reads, in ingest's order (as ``LandingZone.folders``
    in the jar): the invoice-line folder of a flat source, else one folder per entity.

    ``source`` is what crmlake's ``source`` key takes: a path to a mapping file (ending in ``.conf``
    or containing ``/``), or the name of a mapping shipped in the jar, read from ``jar``.
    """
    if source.endswith(".conf") or "/" in source:
        mapping = ConfigFactory.parse_file(source)
    elif Path(jar).is_file():
        with zipfile.ZipFile(jar) as archive:
            try:
                text = archive.read(SHIPPED_MAPPING.format(source)).decode("utf-8")
            except KeyError:
                raise ValueError(
                    f"crmlake_source: the crmlake jar {jar} ships no source mapping named '{source}'"
                ) from None
        mapping = ConfigFactory.parse_string(text)
    elif source == DEFAULT_SOURCE:
        # The canonical mapping names each folder after its entity; no need for the jar.
        return list(ENTITIES)
    else:
        raise ValueError(
            f"crmlake_source '{source}' names a mapping shipped in the crmlake jar, but the DAG "
            f"processor cannot read the jar at crmlake_jar='{jar}': give a path to a copy of the mapping file"
        )
    if "invoice-lines" in mapping:
        return [mapping.get("invoice-lines.folder", "invoice_lines")]
    entities = mapping.get("entities", ConfigTree())
    return [entities.get(f"{entity}.folder", entity) for entity in ENTITIES]


def sensor_id(folder: str) -> str:
    """A task id for the sensor of a landing folder (task ids allow letters, digits, ``_.-``)."""
    return "wait_for_" + re.sub(r"[^A-Za-z0-9_.-]", "_", folder)


def on_crmlake_failure(context: dict[str, Any]) -> None:
    """The failure hook of every task: called once a task has failed for good (retries used up).

    It logs one line saying which night and job failed and why (the crmlake reason when the job
    printed one). Replace or extend it to alert someone, e.g. with a notifier from a provider
    (``SlackNotifier``, ``SmtpNotifier``) appended to ``on_failure_callback`` in ``default_args``.
    """
    ti = context.get("ti") or context.get("task_instance")
    task_id = getattr(ti, "task_id", "?")
    reason = context.get("exception")
    log.error("crmlake nightly %s failed at task %s: %s", context.get("ds"), task_id, reason)


class CrmlakeJobOperator(SparkSubmitOperator):
    """A ``SparkSubmitOperator`` that runs one crmlake job for the run's batch date.

    What it adds to the provider's operator, all at run time:

    * the Spark properties of the variable ``crmlake_spark_conf`` (a JSON object) are merged under
      the task's own ``conf``, so a deployment sizes executors or adds storage credentials without
      editing this file;
    * ``--conf FILE`` is passed only when the variable ``crmlake_conf_file`` is set (without it the
      jar's built-in defaults apply);
    * a failed job fails the task with crmlake's one-line reason as the error (it is also in the
      log with the rest of spark-submit's output); exit code 2 (bad usage or configuration) fails
      it at once, without retries.
    """

    def __init__(self, *, job: str, source: str | None = None, **kwargs: Any) -> None:
        self.crmlake_job = job
        # The source mapping, when the DAG names it (variable crmlake_source).
        source_args = ["--set", f"source={source}"] if source else []
        super().__init__(
            application="{{ var.value.crmlake_jar }}",
            java_class=MAIN_CLASS,
            name=f"crmlake-{job}-{{{{ ds }}}}",
            application_args=[
                job,
                "--date",
                "{{ ds }}",
                # Dropped after rendering when the variable is unset or empty.
                "--conf",
                "{{ var.value.get('crmlake_conf_file', '') }}",
                "--set",
                "landing={{ var.value.get('crmlake_landing', conn.crmlake_landing.extra_dejson.path) }}",
                "--set",
                "warehouse={{ var.value.crmlake_warehouse }}",
                "--set",
                "exports={{ var.value.crmlake_exports }}",
                *source_args,
            ],
            **kwargs,
        )

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        super().render_template_fields(context, jinja_env)
        self.application_args = _drop_empty_options(list(self.application_args or []))
        shared_conf = Variable.get("crmlake_spark_conf", default={}, deserialize_json=True)
        if not isinstance(shared_conf, dict):
            raise AirflowFailException(
                f"variable crmlake_spark_conf must be a JSON object of Spark properties, got {json.dumps(shared_conf)}"
            )
        self.conf = {**{str(k): str(v) for k, v in shared_conf.items()}, **(self.conf or {})}

    def execute(self, context: Any) -> None:
        try:
            super().execute(context)
        except AirflowException as failure:
            message = str(failure)
            reasons = _REASON_LINE.findall(message)
            exit_code = _EXIT_CODE.search(message)
            reason = reasons[-1] if reasons else None
            if reason:
                # The provider logged every line of spark-submit's output above; this makes the
                # one that matters the last word of the log and the task's error message.
                self.log.error("%s", reason)
            summary = reason or f"crmlake {self.crmlake_job} {context['ds']}: spark-submit failed ({message.splitlines()[0]})"
            if exit_code and int(exit_code.group(1)) == EXIT_BAD_CONFIG:
                raise AirflowFailException(summary) from failure
            raise AirflowException(summary) from failure


def _drop_empty_options(args: list[str]) -> list[str]:
    """Removes ``--option ""`` pairs whose value rendered empty (an unset optional variable)."""
    kept: list[str] = []
    i = 0
    while i < len(args):
        if args[i].startswith("--") and i + 1 < len(args) and str(args[i + 1]).strip() == "":
            i += 2
            continue
        kept.append(args[i])
        i += 1
    return kept


default_args = {
    "owner": "crmlake",
    # Transient failures (a lost executor, storage hiccups, a busy database for publish) are
    # retried with exponential backoff: 5, 10, 20 minutes.
    "retries": int(Variable.get("crmlake_task_retries", default=DEFAULT_RETRIES)),
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(hours=1),
    "on_failure_callback": [on_crmlake_failure],
}

with DAG(
    dag_id=DAG_ID,
    description="crmlake nightly: landing -> bronze -> silver -> gold -> scores -> exports",
    schedule=CronDataIntervalTimetable(
        Variable.get("crmlake_schedule", default=DEFAULT_SCHEDULE), timezone="UTC"
    ),
    start_date=pendulum.parse(Variable.get("crmlake_start_date", default=DEFAULT_START_DATE), tz="UTC"),
    # Every missed day is run (a new installation backfills from start_date; a scheduler that was
    # down catches up), in date order and one night at a time: the jobs of two nights would write
    # the same tables.
    catchup=True,
    max_active_runs=1,
    default_args=default_args,
    tags=["crmlake"],
    doc_md=__doc__,
) as dag:
    source, pass_source = configured_source()
    sensors = [
        FileSensor(
            task_id=sensor_id(folder),
            fs_conn_id="crmlake_landing",
            filepath=f"{folder}/{{{{ ds }}}}/_SUCCESS",
            # Reschedule mode frees the worker slot between pokes; the export usually lands during
            # the night, and a night whose export is still missing after 12 hours fails
            # (a sensor timeout is not retried).
            mode="reschedule",
            poke_interval=timedelta(minutes=5),
            timeout=timedelta(hours=12),
        )
        for folder in landing_folders(source, Variable.get("crmlake_jar", default=""))
    ]

    def job(task_id: str, crmlake_job: str | None = None, **kwargs: Any) -> CrmlakeJobOperator:
        return CrmlakeJobOperator(
            task_id=task_id,
            job=crmlake_job or task_id,
            source=source if pass_source else None,
            # A job that hangs is killed (and retried) rather than blocking every later night.
            execution_timeout=timedelta(hours=4),
            **kwargs,
        )

    # Exports are incremental: a night may start only when the previous night's ingest and clean
    # succeeded, so silver never misses a day (crmlake's features job also refuses a date while an
    # earlier ingested day is not cleaned). A failed night therefore holds the later ones until it
    # is fixed and cleared.
    ingest = job("ingest", depends_on_past=True, wait_for_downstream=True)
    clean = job("clean")
    features = job("features")
    models = [job(name) for name in MODEL_JOBS]
    scores = job("customer_scores", "scores")
    publish = job("publish")

    sensors >> ingest
    chain(ingest, clean, features, models, scores, publish)
