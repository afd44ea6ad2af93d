package io.crmlake.publish;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells failures worth another attempt (the server cannot be reached, is starting or shutting
 * down, dropped the connection, is out of resources, or picked this transaction as a deadlock or
 * serialization victim) from those that would fail the same way again (bad credentials, a missing
 * database, rows that break a constraint, a target table of another shape): retrying those only
 * delays the message that says what to fix.
 */
final class TransientFailures {
    private TransientFailures() {}

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return isTransientState(sql.getSQLState());
            }
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE classes and codes of PostgreSQL's errors that a later attempt may not meet. */
    static boolean isTransientState(String state) {
        return state.startsWith("08")          // connection exception (refused, lost, ...)
                || state.startsWith("53")      // insufficient resources (too many connections, disk full)
                || state.startsWith("57P")     // admin/crash shutdown, cannot connect now (starting up)
                || state.equals("40001")       // serialization failure
                || state.equals("40P01")       // deadlock detected
                || state.equals("55P03");      // lock not available
    }
}
