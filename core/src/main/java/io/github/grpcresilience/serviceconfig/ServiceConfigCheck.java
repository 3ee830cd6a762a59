package io.github.grpcresilience.serviceconfig;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.Map;

/**
 * Lets grpc-java's own parser judge a service config before any real channel uses it: a channel
 * built with an invalid default service config fails in {@code build()}, so this builds one
 * in-process channel (no connection, no name resolution) and closes it at once.
 */
public final class ServiceConfigCheck {

    private ServiceConfigCheck() {
    }

    /**
     * @throws IllegalArgumentException with grpc-java's reason if it would reject the config
     */
    public static void check(Map<String, ?> serviceConfig) {
        ManagedChannel channel;
        try {
            channel = InProcessChannelBuilder.forName("grpc-resilience-service-config-check")
                    .defaultServiceConfig(serviceConfig)
                    .enableRetry()
                    .build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        channel.shutdownNow();
    }
}
