package io.github.grpcresilience.autoconfigure.adapter;

import io.grpc.ServerBuilder;

/**
 * Configures the gRPC server's builder before the server is built. A bean; the adapter applies
 * every one, ordered by {@link org.springframework.core.Ordered} or {@code @Order}, as the
 * integration's own server hooks (net.devh's {@code GrpcServerConfigurer}) would be applied with
 * the same order.
 */
@FunctionalInterface
public interface ServerBuilderCustomizer {

    /** Configures the server's builder. */
    void customize(ServerBuilder<?> builder);
}
