package io.github.grpcresilience.stream;

/** The life of a resilient stream. */
public enum StreamState {
    /** Opened for the first time, not yet confirmed by the transport. */
    CONNECTING,
    /** Open on a live connection. */
    HEALTHY,
    /** Broken with a retryable status; waiting for its next attempt. */
    UNHEALTHY,
    /** A new call is being opened after a break. */
    RECONNECTING,
    /** Ended with a non-retryable status or out of attempts; the application was told. */
    FAILED,
    /** Closed by the application; never reconnects. */
    CLOSED;

    /** Whether the stream will never be opened again. */
    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
