package io.crmlake.ingest;

/** Input a job cannot ingest as it is: a missing day, an incomplete export, a missing column. */
public class IngestError extends RuntimeException {
    public IngestError(String message) {
        super(message);
    }
}
