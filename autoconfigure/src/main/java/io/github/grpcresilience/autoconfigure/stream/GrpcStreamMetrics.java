package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.metrics.OwnedMeters;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamListener;
import io.github.grpcresilience.stream.StreamState;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of each resilient stream, tagged {@code stream} and {@code channel}:
 * {@code grpc.client.stream.reconnects} ({@code outcome}: success, failure),
 * {@code grpc.client.stream.downtime} (timer), {@code grpc.client.stream.buffered} (gauge) and
 * {@code grpc.client.stream.dropped}. A stream's meters are removed when it is closed.
 */
final class GrpcStreamMetrics implements StreamListener {

    static final String PREFIX = "grpc.client.stream.";

    private final MeterRegistry meters;
    private final OwnedMeters owned;
    /** Streams whose gauge is registered (Micrometer warns about registering a gauge twice). */
    private final Set<ResilientStream<?, ?>> gauged = ConcurrentHashMap.newKeySet();

    GrpcStreamMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.owned = new OwnedMeters(meters, "stream", OwnedMeters.prefixed(PREFIX));
    }

    @Override
    public void onStateChange(ResilientStream<?, ?> stream, StreamState from, StreamState to, Status status) {
        if (to == StreamState.CLOSED) {
            gauged.remove(stream);
            owned.removeAll(stream.name());
            return;
        }
        if (gauged.add(stream)) {
            Gauge.builder(PREFIX + "buffered", stream, s -> s.snapshot().buffered())
                    .tags("stream", stream.name(), "channel", stream.channel())
                    .description("Messages waiting for the stream's next reconnect").register(meters);
        }
    }

    @Override
    public void onReconnected(ResilientStream<?, ?> stream, long downtimeNanos) {
        reconnects(stream, "success").increment();
        Timer.builder(PREFIX + "downtime").tags("stream", stream.name(), "channel", stream.channel())
                .description("Time from a stream's break to its re-established call").register(meters)
                .record(downtimeNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onAttemptFailed(ResilientStream<?, ?> stream, Status status) {
        reconnects(stream, "failure").increment();
    }

    @Override
    public void onDropped(ResilientStream<?, ?> stream) {
        Counter.builder(PREFIX + "dropped").tags("stream", stream.name(), "channel", stream.channel())
                .description("Messages dropped from a full outbound buffer (DROP_OLDEST)").register(meters).increment();
    }

    private Counter reconnects(ResilientStream<?, ?> stream, String outcome) {
        return Counter.builder(PREFIX + "reconnects").tags("stream", stream.name(), "channel", stream.channel(),
                "outcome", outcome).description("Reconnect attempts of the stream").register(meters);
    }
}
