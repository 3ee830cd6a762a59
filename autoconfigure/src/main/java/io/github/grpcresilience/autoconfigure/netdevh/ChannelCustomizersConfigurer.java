package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.grpc.ManagedChannelBuilder;
import java.util.List;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import org.springframework.core.Ordered;

/** Applies the starter's {@link ChannelBuilderCustomizer}s as one of net.devh's channel configurers. */
final class ChannelCustomizersConfigurer implements GrpcChannelConfigurer, Ordered {

    private final List<ChannelBuilderCustomizer> customizers;
    private final int order;

    /** @param customizers in the order they apply */
    ChannelCustomizersConfigurer(List<ChannelBuilderCustomizer> customizers, int order) {
        this.customizers = List.copyOf(customizers);
        this.order = order;
    }

    @Override
    public void accept(ManagedChannelBuilder<?> builder, String name) {
        customizers.forEach(customizer -> customizer.customize(name, builder));
    }

    @Override
    public int getOrder() {
        return order;
    }
}
