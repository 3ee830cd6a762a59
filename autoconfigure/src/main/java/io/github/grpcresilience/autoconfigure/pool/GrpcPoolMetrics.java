package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.metrics.OwnedMeters;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.pool.ChannelPool;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges of each pooled channel, tagged {@code channel}: {@code grpc.client.pool.size} (members
 * taking calls) and {@code grpc.client.pool.calls.in-flight}. Registered when the pool joins the
 * channel registry, removed when it shuts down.
 */
final class GrpcPoolMetrics implements GrpcChannelRegistry.Subscriber {

    static final String PREFIX = "grpc.client.pool.";

    private final MeterRegistry meters;
    private final OwnedMeters owned;

    GrpcPoolMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.owned = new OwnedMeters(meters, "channel", OwnedMeters.prefixed(PREFIX));
    }

    @Override
    public void onRegistered(GrpcChannelRegistry.Entry entry) {
        if (!(entry.channel() instanceof ChannelPool pool)) {
            return;
        }
        Gauge.builder(PREFIX + "size", pool, ChannelPool::size).tag("channel", entry.name()).strongReference(true)
                .description("Connections of the pool taking calls").register(meters);
        Gauge.builder(PREFIX + "calls.in-flight", pool, ChannelPool::inFlight).tag("channel", entry.name())
                .strongReference(true).description("Calls running on the pool").register(meters);
    }

    @Override
    public void onShutdown(GrpcChannelRegistry.Entry entry) {
        owned.removeAll(entry.name());
    }
}
