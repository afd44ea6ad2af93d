package io.crmlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crmlake.config.ConfigLoader;
import io.crmlake.testing.SharedSpark;

/**
 * While a job runs, every log line of the JVM carries its run id, those that Spark logs from its
 * task threads included, and its Spark jobs belong to a job group named by the run id. The lines
 * are formatted with the layout of the shipped conf/log4j2.properties, the one bin/crmlake uses.
 */
class RunIdLogLinesTest {
    private static final String EXECUTOR = "org.apache.spark.executor.Executor";

    @BeforeAll
    static void sharedSession() {
        SharedSpark.get();
    }

    @Test
    void sparkTaskThreadsLogTheRunIdAndOutsideAJobADash() {
        Path dir = SharedSpark.tempDir("runid");
        JobEnvironment env = JobEnvironment.open(ConfigLoader.load(Optional.empty(),
                List.of("landing=" + dir, "warehouse=" + dir.resolve("w"))), "crmlake-tests");
        // The shipped configuration, loaded in a context of its own for its console layout.
        Path conf = Path.of(System.getProperty("crmlake.home"), "conf", "log4j2.properties");
        LoggerContext shipped = new LoggerContext("crmlake-shipped-conf", null, conf.toUri());
        shipped.start();
        assertThat(shipped.getConfiguration().getAppenders()).containsKey("console");

        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        Capture capture = new Capture(shipped.getConfiguration().getAppender("console").getLayout());
        capture.start();
        Level executorLevel = LogManager.getLogger(EXECUTOR).getLevel();
        String[] runIds = {null};
        try {
            root.addAppender(capture, Level.ALL, null);
            // The executor logs "Running task ..." at INFO from its task threads.
            Configurator.setLevel(EXECUTOR, Level.INFO);
            new JobRunner(env).run("logtest", null, (runId, progress) -> {
                runIds[0] = runId;
                env.spark.range(0, 4, 1, 2).toDF().collectAsList();
                return new JobRunner.Counts(0, 0, 0, "");
            });
            Configurator.setLevel(EXECUTOR, executorLevel);
            LogManager.getLogger(RunIdLogLinesTest.class).warn("after the job");
        } finally {
            Configurator.setLevel(EXECUTOR, executorLevel);
            root.removeAppender(capture.getName());
            context.updateLoggers();
            capture.stop();
            shipped.stop();
        }
        String runId = runIds[0];

        List<Line> lines = capture.lines;
        List<Line> fromTasks = lines.stream().filter(l -> l.thread().startsWith("Executor task launch worker")).toList();
        assertThat(fromTasks).as("lines logged from Spark task threads, among %s", lines).isNotEmpty();
        assertThat(fromTasks).anyMatch(l -> l.text().contains(" [" + runId + "] INFO Executor: Running task "));
        for (Line l : fromTasks) {
            assertThat(l.text()).as("from thread %s", l.thread()).contains(" [" + runId + "] INFO Executor: ");
        }
        assertThat(lines).as("after the job").anyMatch(l -> l.text().contains(" [-] WARN RunIdLogLinesTest: after the job"));

        // The Spark jobs of the run are in the job group of its run id (the Spark UI and event log show it).
        assertThat(env.spark.sparkContext().statusTracker().getJobIdsForGroup(runId)).isNotEmpty();
        assertThat(System.getProperty(JobRunner.RUN_ID_PROPERTY)).isNull();
    }

    /** A formatted log line and the thread that logged it. */
    private record Line(String thread, String text) {}

    /**
     * Formats every event, from whichever thread, when it is logged: the layout's run id lookup
     * reads the system property then, as the console appender does.
     */
    private static final class Capture extends AbstractAppender {
        final List<Line> lines = new CopyOnWriteArrayList<>();

        Capture(Layout<?> layout) {
            super("run-id-capture", null, layout, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(new Line(event.getThreadName(), getLayout().toSerializable(event).toString()));
        }
    }
}
