package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.metrics.OwnedMeters;
import io.github.grpcresilience.autoconfigure.serviceconfig.ServiceConfigChannelConfigurer;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.serviceconfig.AttemptCountingInterceptor;
import io.github.grpcresilience.serviceconfig.AttemptKind;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.core.Ordered;

/**
 * Counts the retries ({@code grpc.client.call.retries}) and hedges ({@code grpc.client.call.hedges})
 * grpc-java makes, tagged {@code channel} and {@code method} (bounded: the methods of the stubs in
 * use). Installs an {@link AttemptCountingInterceptor} on every channel builder; a channel's meters
 * are removed when it shuts down.
 *
 * <p>Thread-safety: Micrometer registries are thread-safe; attempts are reported from callers'
 * threads and grpc-java executors.
 */
final class GrpcCallAttemptMetrics implements ChannelBuilderCustomizer, GrpcChannelRegistry.Subscriber, Ordered {

    static final String RETRIES = "grpc.client.call.retries";
    static final String HEDGES = "grpc.client.call.hedges";
    private static final String CHANNEL = "channel";

    private final MeterRegistry meters;
    private final OwnedMeters owned;

    GrpcCallAttemptMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.owned = new OwnedMeters(meters, CHANNEL, name -> name.equals(RETRIES) || name.equals(HEDGES));
    }

    @Override
    public void customize(String name, ManagedChannelBuilder<?> builder) {
        builder.intercept(new AttemptCountingInterceptor((method, kind) -> count(name, method, kind)));
    }

    private void count(String channel, String method, AttemptKind kind) {
        boolean hedge = kind == AttemptKind.HEDGE;
        Counter.builder(hedge ? HEDGES : RETRIES).tag(CHANNEL, channel).tag("method", method)
                .description(hedge ? "Hedged copies of calls sent by grpc-java"
                        : "Attempts grpc-java retried after a retryable failure")
                .register(meters).increment();
    }

    @Override
    public void onRegistered(GrpcChannelRegistry.Entry entry) {
    }

    @Override
    public void onShutdown(GrpcChannelRegistry.Entry entry) {
        owned.removeAll(entry.name());
    }

    /** After the service config is applied; the interceptor itself does not depend on it. */
    @Override
    public int getOrder() {
        return ServiceConfigChannelConfigurer.ORDER + 1;
    }
}
