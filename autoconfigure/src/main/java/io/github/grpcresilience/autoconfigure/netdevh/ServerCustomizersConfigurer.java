package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.grpc.ServerBuilder;
import java.util.List;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.core.Ordered;

/** Applies the starter's {@link ServerBuilderCustomizer}s as one of net.devh's server configurers. */
final class ServerCustomizersConfigurer implements GrpcServerConfigurer, Ordered {

    private final List<ServerBuilderCustomizer> customizers;
    private final int order;

    /** @param customizers in the order they apply */
    ServerCustomizersConfigurer(List<ServerBuilderCustomizer> customizers, int order) {
        this.customizers = List.copyOf(customizers);
        this.order = order;
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        customizers.forEach(customizer -> customizer.customize(builder));
    }

    @Override
    public int getOrder() {
        return order;
    }
}
