package io.crmlake.publish;

import java.sql.SQLException;

/**
 * The one-line message of a failed export: what failed (table, URL, user), after how many
 * attempts, the database's reason, that nothing was committed, and what to do next. The password
 * is scrubbed from the reason should a driver ever echo it.
 */
final class FailureMessage {
    private FailureMessage() {}

    static String of(JdbcTarget target, Exception failure, int attempts, boolean transientFailure, String password) {
        StringBuilder message = new StringBuilder("JDBC upsert into ").append(target.describe());
        if (transientFailure) {
            message.append(" failed after ").append(attempts).append(attempts == 1 ? " attempt: " : " attempts: ");
        } else {
            message.append(" failed: ");
        }
        String reason = reason(failure, password);
        message.append(reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason)
                .append(". Nothing was committed (the transaction was rolled back). ")
                .append(advice(target, failure, transientFailure));
        return message.toString();
    }

    /** The failure's message on one line, without the password. */
    static String reason(Throwable failure, String password) {
        String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        text = text.replaceAll("\\s*\\R\\s*", " ").trim();
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "****");
        }
        return text;
    }

    private static String advice(JdbcTarget target, Throwable failure, boolean transientFailure) {
        if (transientFailure) {
            return "Check that the database is up and reachable from the Spark driver, then re-run the export: "
                    + "it is idempotent.";
        }
        String state = sqlState(failure);
        String fix;
        if (state.startsWith("28")) {
            fix = "check the user and the password (" + target.password().describe() + ")";
        } else if (state.equals("3D000")) {
            fix = "the database named in the URL does not exist: create it or fix the URL";
        } else if (state.startsWith("23")) {
            fix = "a row breaks a constraint (see above): fix the rows or the table's constraint";
        } else if (state.startsWith("42")) {
            fix = "the target table does not match the rows (columns, types, a unique key on the key columns) "
                    + "or the user lacks a privilege: align the table or drop it so that the export creates it";
        } else if (state.startsWith("22")) {
            fix = "a value does not fit its column (see above): fix the rows or the column type";
        } else {
            fix = "fix the cause above";
        }
        return "Not retried, as it would fail the same way: " + fix + ", then re-run the export.";
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }
}
