package io.crmlake.jobs.sql;

/**
 * How {@code crmlake sql} prints a result. The table is read by people, so it stops at a screenful
 * by default; csv and json are read by programs, so they stream every row unless told otherwise.
 */
public enum ResultFormat {
    TABLE(1000, new TableWriter()),
    CSV(0, new CsvWriter()),
    JSON(0, new JsonLinesWriter());

    private final int defaultLimit;
    private final ResultWriter writer;

    ResultFormat(int defaultLimit, ResultWriter writer) {
        this.defaultLimit = defaultLimit;
        this.writer = writer;
    }

    /** Rows printed per result when --limit is not given; 0 means all. */
    public int defaultLimit() {
        return defaultLimit;
    }

    public ResultWriter writer() {
        return writer;
    }
}
