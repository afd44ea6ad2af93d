package io.crmlake.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The test JVM's PostgreSQL server, started by {@code bin/pg-test-server start} on first use and
 * stopped when the JVM exits (unless it was already running before: then it is somebody's and
 * stays). No manual step: {@code mvn test} from the root or from {@code pipelines/} finds the
 * script by walking up from the working folder.
 */
public final class PostgresServer {
    /** How to reach the server: URL, port, user and the file holding the password. */
    public record Endpoint(String url, int port, String user, Path passwordFile) {
        public String password() {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + passwordFile, e);
            }
        }

        public Connection open() throws SQLException {
            return DriverManager.getConnection(url, user, password());
        }
    }

    private static final Path HOME = projectHome();
    private static final Path SCRIPT = HOME.resolve("bin/pg-test-server");
    /**
     * Where the script keeps this JVM's server: one server per test JVM (Surefire runs two side by
     * side, and a test that stops the server must not stop the other JVM's).
     */
    private static final Path STATE = HOME.resolve("target/pg-" + ProcessHandle.current().pid());
    private static Endpoint current;
    private static boolean stopAtExit;

    private PostgresServer() {}

    /** The running server, started when needed. */
    public static synchronized Endpoint get() {
        return current != null ? current : start(null, null);
    }

    /** Stops the server and deletes its data (to test what a down server does). */
    public static synchronized void stop() {
        run("stop", null, null);
        current = null;
    }

    /**
     * Starts the server (a new, empty one after {@link #stop()}), on {@code port} and with
     * {@code password} when they are not null (to come back where a client expects it). A server
     * this JVM started is stopped when the JVM exits.
     */
    public static synchronized Endpoint start(Integer port, String password) {
        boolean alreadyRunning = run("status", null, null) == 0;
        int exit = run("start", port, password);
        if (exit != 0) {
            throw new IllegalStateException("bin/pg-test-server start failed with exit code " + exit
                    + " (its messages are above)");
        }
        if (!alreadyRunning && !stopAtExit) {
            stopAtExit = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run("stop", null, null)));
        }
        current = new Endpoint(read("url"), Integer.parseInt(read("port")), read("user"), STATE.resolve("password"));
        return current;
    }

    private static int run(String command, Integer port, String password) {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command)
                .directory(HOME.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                // status is only a question: its "not running" is no news.
                .redirectError(command.equals("status") ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PG_TEST_STATE", STATE.toString());
        if (port != null) {
            builder.environment().put("PG_TEST_PORT", port.toString());
        }
        if (password != null) {
            builder.environment().put("PG_TEST_PASSWORD", password);
        }
        try {
            Process process = builder.start();
            // Installing the server with apt-get on a fresh machine may take minutes.
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("bin/pg-test-server " + command + " did not finish in 15 minutes");
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running bin/pg-test-server " + command, e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(STATE.resolve(file), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("bin/pg-test-server start wrote no " + STATE.resolve(file), e);
        }
    }

    /** The checkout's root: the first folder up from the working folder holding the script. */
    private static Path projectHome() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/pg-test-server"))) {
                return dir;
            }
        }
        throw new IllegalStateException("bin/pg-test-server not found above " + Path.of("").toAbsolutePath());
    }
}
