package io.crmlake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' Python virtualenv ({@code .venv/} at the checkout's root, with what
 * {@code requirements-test.txt} pins), built by {@code bin/test-venv} on first use in a JVM. No
 * manual step: {@code mvn test} from the root or from {@code pipelines/} finds the script by walking
 * up from the working folder. A venv that cannot be built fails the test with the script's output:
 * a missing Python must not pass for a reader that works.
 */
public final class PythonVenv {
    /** What a finished process printed, and how it ended. */
    public record Output(int exitCode, String stdout, String stderr) {
        /** Both streams, for a failure message. */
        public String describe() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    /** The checkout's root: the first folder up from the working folder holding bin/test-venv. */
    public static final Path HOME = projectHome();
    private static final Path SCRIPT = HOME.resolve("bin/test-venv");
    // Installing the packages on a fresh machine (or a rebuild after the pins changed) takes minutes.
    private static final long BUILD_MINUTES = 15;
    private static final long RUN_MINUTES = 5;
    private static Path python;

    private PythonVenv() {}

    /** The venv's python, the venv built first when needed. */
    public static synchronized Path python() {
        if (python == null) {
            Output built = exec(List.of("bash", SCRIPT.toString()), BUILD_MINUTES);
            String printed = built.stdout().strip();
            if (built.exitCode() != 0 || printed.isEmpty() || !Files.isExecutable(Path.of(printed))) {
                throw new IllegalStateException("bin/test-venv could not build the test virtualenv: " + built.describe());
            }
            python = Path.of(printed);
        }
        return python;
    }

    /** Runs a Python script of the checkout (a path relative to its root) with the venv's python. */
    public static Output run(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(python().toString(), HOME.resolve(script).toString()));
        command.addAll(List.of(args));
        return exec(command, RUN_MINUTES);
    }

    private static Output exec(List<String> command, long timeoutMinutes) {
        Path stdout = null;
        Path stderr = null;
        try {
            // Into files, not pipes: nobody has to drain them while the process runs, so a chatty
            // pip can never block on a full pipe.
            stdout = Files.createTempFile("crmlake-python-", ".out");
            stderr = Files.createTempFile("crmlake-python-", ".err");
            Process process = new ProcessBuilder(command).directory(HOME.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close(); // no input: a script that asks gets end-of-file
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutMinutes
                        + " minutes; it printed:\n" + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new Output(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is no reason to fail a test.
            }
        }
    }

    private static Path projectHome() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/test-venv"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bin/test-venv not found above " + Path.of("").toAbsolutePath());
    }
}
