package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.CustomizerOrder;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The starter on net.devh's server: the starter's {@link ServerBuilderCustomizer}s applied as
 * net.devh server configurers (ordered ones before the user's, see {@link CustomizerOrder}), and
 * net.devh's server lifecycle events told to every {@link GrpcServerListener}.
 */
@AutoConfiguration(beforeName = {
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration"})
@ConditionalOnClass({GrpcServerConfigurer.class, GrpcServerStartedEvent.class})
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class NetDevhServerAutoConfiguration {

    /** The starter's ordered customizers, at the keepalive configurer's order: before the user's configurers. */
    @Bean
    GrpcServerConfigurer grpcResilienceServerCustomizers(ObjectProvider<ServerBuilderCustomizer> customizers) {
        return new ServerCustomizersConfigurer(CustomizerOrder.ORDERED.select(customizers.orderedStream().toList()),
                ResilientChannelConfigurer.ORDER);
    }

    /** Customizers without an order, where net.devh sorts unordered configurers: last. */
    @Bean
    GrpcServerConfigurer grpcResilienceUnorderedServerCustomizers(ObjectProvider<ServerBuilderCustomizer> customizers) {
        return new ServerCustomizersConfigurer(CustomizerOrder.UNORDERED.select(customizers.orderedStream().toList()),
                Ordered.LOWEST_PRECEDENCE);
    }

    @Bean
    ServerLifecycleEvents grpcResilienceServerLifecycleEvents(ObjectProvider<GrpcServerListener> listeners) {
        return new ServerLifecycleEvents(listeners);
    }
}
