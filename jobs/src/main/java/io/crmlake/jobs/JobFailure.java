package io.crmlake.jobs;

/** A job ended on a known failure; its message is the one line shown to the user. */
class JobFailure extends RuntimeException {
    final int exitCode;

    JobFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }
}
