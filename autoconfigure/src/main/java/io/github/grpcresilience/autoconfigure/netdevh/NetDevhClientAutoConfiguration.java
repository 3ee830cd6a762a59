package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.adapter.CustomizerOrder;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The starter on net.devh's client: the starter's {@link ChannelBuilderCustomizer}s applied as
 * net.devh channel configurers (ordered ones before the user's, see {@link CustomizerOrder}) and
 * net.devh's properties as the {@link ConfiguredChannels}, which switch the channel registry on.
 * The channel factory follows the registry, in {@link NetDevhChannelFactoryAutoConfiguration}.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceServiceConfigAutoConfiguration.class},
        before = {GrpcResilienceChannelRegistryAutoConfiguration.class, GrpcResiliencePoolAutoConfiguration.class},
        beforeName = "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass(GrpcChannelFactory.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class NetDevhClientAutoConfiguration {

    /** The starter's ordered customizers, at the keepalive configurer's order: before the user's configurers. */
    @Bean
    GrpcChannelConfigurer grpcResilienceChannelCustomizers(ObjectProvider<ChannelBuilderCustomizer> customizers) {
        return new ChannelCustomizersConfigurer(CustomizerOrder.ORDERED.select(customizers.orderedStream().toList()),
                ResilientChannelConfigurer.ORDER);
    }

    /** Customizers without an order, where net.devh sorts unordered configurers: last. */
    @Bean
    GrpcChannelConfigurer grpcResilienceUnorderedChannelCustomizers(
            ObjectProvider<ChannelBuilderCustomizer> customizers) {
        return new ChannelCustomizersConfigurer(CustomizerOrder.UNORDERED.select(customizers.orderedStream().toList()),
                Ordered.LOWEST_PRECEDENCE);
    }

    @Bean
    @ConditionalOnMissingBean
    ConfiguredChannels grpcResilienceConfiguredChannels(GrpcChannelsProperties properties) {
        return new NetDevhChannels(properties);
    }
}
