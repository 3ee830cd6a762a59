package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.metrics.OwnedMeters;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Micrometer meters of each channel, tagged {@code channel} (bounded: channel names come from
 * configuration): {@code grpc.client.channel.state} (1 for the current state, 0 for the others),
 * {@code grpc.client.channel.transitions} ({@code from}, {@code to}),
 * {@code grpc.client.channel.goaway} ({@code reason}) and {@code grpc.client.channel.failures}
 * ({@code code}). All of a channel's meters are removed when it shuts down.
 *
 * <p>Thread-safety: Micrometer registries are thread-safe; callbacks come from channel executors
 * and Netty event loops.
 */
final class GrpcChannelMetrics implements GrpcChannelRegistry.Subscriber, GoAwayRegistry.Subscriber,
        TransportFailureListener {

    static final String PREFIX = "grpc.client.channel.";
    private static final String CHANNEL = "channel";

    private final MeterRegistry meters;
    private final OwnedMeters owned;
    private final GrpcChannelRegistry registry;

    GrpcChannelMetrics(MeterRegistry meters, GrpcChannelRegistry registry) {
        this.meters = meters;
        this.owned = new OwnedMeters(meters, CHANNEL, OwnedMeters.prefixed(PREFIX));
        this.registry = registry;
    }

    @Override
    public void onRegistered(GrpcChannelRegistry.Entry entry) {
        String name = entry.name();
        for (ConnectivityState state : ConnectivityState.values()) {
            Gauge.builder(PREFIX + "state", entry.monitor(), monitor -> monitor.snapshot().state() == state ? 1 : 0)
                    .tag(CHANNEL, name).tag("state", tag(state))
                    .description("1 for the channel's current connectivity state, 0 for the others")
                    .register(meters);
        }
        entry.monitor().addListener((channel, from, to) -> {
            if (to != ConnectivityState.SHUTDOWN) {
                Counter.builder(PREFIX + "transitions").tag(CHANNEL, channel).tag("from", tag(from)).tag("to", tag(to))
                        .description("Connectivity state changes of the channel").register(meters).increment();
            }
        });
    }

    @Override
    public void onShutdown(GrpcChannelRegistry.Entry entry) {
        owned.removeAll(entry.name());
    }

    @Override
    public void onGoAway(String channel, GoAwayReason reason, long http2ErrorCode, String debugData) {
        if (registry.get(channel).isPresent()) {
            Counter.builder(PREFIX + "goaway").tag(CHANNEL, channel).tag("reason", reason.tagValue())
                    .description("GOAWAY frames received from servers").register(meters).increment();
        }
    }

    /** Counts a failed call that means the connection failed. */
    @Override
    public void onTransportFailure(String channel, Status.Code code) {
        if (registry.get(channel).isPresent()) {
            Counter.builder(PREFIX + "failures").tag(CHANNEL, channel).tag("code", code.name())
                    .description("Calls that failed because the connection failed").register(meters).increment();
        }
    }

    private static String tag(ConnectivityState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
