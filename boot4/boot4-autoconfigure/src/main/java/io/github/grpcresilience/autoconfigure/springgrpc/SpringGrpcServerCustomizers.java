package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.grpc.ServerBuilder;
import java.util.List;
import org.springframework.core.Ordered;

/**
 * Applies the starter's {@link ServerBuilderCustomizer}s as one of Spring gRPC's server builder
 * customizers. A class with a type variable bounded by {@link ServerBuilder}, not a lambda: Spring
 * Boot invokes a customizer only for builders its resolved generic type accepts, and this one
 * accepts every builder (the starter's customizers decide themselves, e.g. keepalive skips the
 * in-process server).
 */
final class SpringGrpcServerCustomizers<T extends ServerBuilder<T>>
        implements org.springframework.grpc.server.ServerBuilderCustomizer<T>, Ordered {

    private final List<ServerBuilderCustomizer> customizers;
    private final int order;

    /** @param customizers in the order they apply */
    SpringGrpcServerCustomizers(List<ServerBuilderCustomizer> customizers, int order) {
        this.customizers = List.copyOf(customizers);
        this.order = order;
    }

    @Override
    public void customize(T builder) {
        customizers.forEach(customizer -> customizer.customize(builder));
    }

    @Override
    public int getOrder() {
        return order;
    }
}
