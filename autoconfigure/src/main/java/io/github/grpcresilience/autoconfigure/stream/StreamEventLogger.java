package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamListener;
import io.github.grpcresilience.stream.StreamState;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per event an operator cares about: a stream broke, came back, or failed for good.
 * Attempts in between are not logged (they are in the metrics and the endpoint).
 */
final class StreamEventLogger implements StreamListener {

    private static final Logger log = LoggerFactory.getLogger(StreamEventLogger.class);

    /** What set the deadline of a stream on a channel, and what to change (by channel name). */
    private final Function<String, String> deadlineAdvice;

    StreamEventLogger(Function<String, String> deadlineAdvice) {
        this.deadlineAdvice = deadlineAdvice;
    }

    @Override
    public void onStateChange(ResilientStream<?, ?> stream, StreamState from, StreamState to, Status status) {
        if (from == StreamState.HEALTHY && to == StreamState.UNHEALTHY) {
            log.warn("gRPC stream '{}' on channel '{}' broke ({}); re-opening it with backoff", stream.name(),
                    stream.channel(), StreamDescriptions.status(status));
        } else if (to == StreamState.FAILED && status != null
                && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            log.error("gRPC stream '{}' on channel '{}' failed for good ({}); it will not reconnect, and its health is "
                    + "DOWN: {}", stream.name(), stream.channel(), StreamDescriptions.status(status),
                    deadlineAdvice.apply(stream.channel()));
        } else if (to == StreamState.FAILED) {
            log.error("gRPC stream '{}' on channel '{}' failed for good ({}); it will not reconnect, and its health is "
                    + "DOWN: check the server, or reconnect.retryable-status-codes / reconnect.max-attempts for this "
                    + "stream", stream.name(), stream.channel(), status == null ? "no status"
                            : StreamDescriptions.status(status));
        }
    }

    @Override
    public void onUnsent(ResilientStream<?, ?> stream, int count, boolean handedBack) {
        if (!handedBack) {
            log.warn("gRPC stream '{}' on channel '{}' discarded {} message(s) it had accepted but never wrote; "
                    + "register onUnsent(...) on the stream to get them back", stream.name(), stream.channel(), count);
        }
    }

    @Override
    public void onReconnected(ResilientStream<?, ?> stream, long downtimeNanos) {
        log.info("gRPC stream '{}' on channel '{}' is back after {} ({} attempts)", stream.name(), stream.channel(),
                Durations.format(Duration.ofMillis(Duration.ofNanos(downtimeNanos).toMillis())),
                stream.snapshot().attempts());
    }
}
