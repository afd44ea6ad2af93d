package io.crmlake.clean;

import org.apache.spark.sql.Column;

/**
 * One data-quality rule: a name that ends up in silver.quarantine and ops.dq_results, and the
 * condition under which a row breaks it. An error rule sends the row to quarantine; a warning
 * rule keeps the row, with the unreadable optional value set to null, and is only counted.
 */
public record Rule(String name, Severity severity, Column violated) {
    public enum Severity { ERROR, WARN }

    public static Rule error(String name, Column violated) {
        return new Rule(name, Severity.ERROR, violated);
    }

    public static Rule warn(String name, Column violated) {
        return new Rule(name, Severity.WARN, violated);
    }
}
