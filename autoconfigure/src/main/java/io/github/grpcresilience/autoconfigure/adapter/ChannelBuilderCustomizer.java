package io.github.grpcresilience.autoconfigure.adapter;

import io.grpc.ManagedChannelBuilder;

/**
 * Configures the builder of a named client channel before it is built. A bean; the adapter applies
 * every one, ordered by {@link org.springframework.core.Ordered} or {@code @Order}, to each
 * channel it builds. The starter's own customizers (keepalive, service config, attempt metrics) are
 * ordered so that they run before the integration's user-facing hooks (net.devh's {@code
 * GrpcChannelConfigurer}), which therefore can still change anything they set.
 */
@FunctionalInterface
public interface ChannelBuilderCustomizer {

    /** Configures the builder of channel {@code channelName}. */
    void customize(String channelName, ManagedChannelBuilder<?> builder);
}
