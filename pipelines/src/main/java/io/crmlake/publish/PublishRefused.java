package io.crmlake.publish;

/** publish would not send: the night looks wrong (a circuit-breaker check failed) or the scores are not ready. */
public class PublishRefused extends RuntimeException {
    public PublishRefused(String message) {
        super(message);
    }
}
