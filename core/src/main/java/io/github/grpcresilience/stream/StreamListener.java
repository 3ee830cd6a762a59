package io.github.grpcresilience.stream;

import io.grpc.Status;

/**
 * Hears what happens to resilient streams, for metrics and logs. Called outside the stream's
 * locks, on gRPC's executor or the supervisor's scheduler thread; must not block.
 */
public interface StreamListener {

    /** The stream moved from one state to another; {@code status} is what ended the last call, or null. */
    default void onStateChange(ResilientStream<?, ?> stream, StreamState from, StreamState to, Status status) {
    }

    /** A new call is open again after a break; {@code downtimeNanos} since the stream left HEALTHY. */
    default void onReconnected(ResilientStream<?, ?> stream, long downtimeNanos) {
    }

    /** A reconnect attempt failed before the new call was confirmed. */
    default void onAttemptFailed(ResilientStream<?, ?> stream, Status status) {
    }

    /** The outbound buffer dropped its oldest message to make room. */
    default void onDropped(ResilientStream<?, ?> stream) {
    }

    /**
     * Messages accepted by {@code send} were never written (dropped by {@code DROP_OLDEST}, or
     * still buffered when the stream ended): {@code handedBack} is whether the stream has an
     * {@code onUnsent} hook that received them; without one they were discarded.
     */
    default void onUnsent(ResilientStream<?, ?> stream, int count, boolean handedBack) {
    }
}
