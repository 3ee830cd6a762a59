package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.grpc.ManagedChannelBuilder;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Applies the starter's {@link ChannelBuilderCustomizer}s as one of Spring gRPC's channel builder
 * customizers. A class, not a lambda: Boot filters customizers by their generic builder type
 * ({@code LambdaSafe}), and this one's resolves to every {@link ManagedChannelBuilder}.
 */
final class StarterChannelCustomizers<T extends ManagedChannelBuilder<T>>
        implements GrpcChannelBuilderCustomizer<T>, Ordered {

    private final List<ChannelBuilderCustomizer> customizers;
    private final int order;

    /** @param customizers in the order they apply */
    StarterChannelCustomizers(List<ChannelBuilderCustomizer> customizers, int order) {
        this.customizers = List.copyOf(customizers);
        this.order = order;
    }

    @Override
    public void customize(String target, T builder) {
        customizers.forEach(customizer -> customizer.customize(target, builder));
    }

    @Override
    public int getOrder() {
        return order;
    }
}
