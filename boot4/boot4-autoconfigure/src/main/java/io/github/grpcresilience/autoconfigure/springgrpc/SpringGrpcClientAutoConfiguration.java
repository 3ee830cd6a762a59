package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.ChannelBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.adapter.CustomizerOrder;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.grpc.ManagedChannelBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientDefaultServiceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * The starter on Spring Boot's gRPC client: the starter's {@link ChannelBuilderCustomizer}s applied
 * as Boot channel builder customizers (the ordered ones before the application's customizers, the
 * unordered ones where Boot sorts unordered beans: last), the starter's service config contributed
 * to the map Boot sets last (see {@link StarterServiceConfig} for the precedence against Boot's
 * {@code service-config} and {@code health} properties), and the {@link ConfiguredChannels} that
 * switch the channel registry and the pool on. The channel factories follow the registry, in
 * {@link SpringGrpcChannelFactoryAutoConfiguration}.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceServiceConfigAutoConfiguration.class, SpringGrpcSettingsAutoConfiguration.class},
        before = {GrpcResilienceChannelRegistryAutoConfiguration.class, GrpcResiliencePoolAutoConfiguration.class},
        beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass({GrpcChannelBuilderCustomizer.class, GrpcClientDefaultServiceConfigCustomizer.class})
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceSettingsConfiguration.class)
public class SpringGrpcClientAutoConfiguration {

    /** The starter's ordered customizers, at the keepalive configurer's order: before the application's. */
    @Bean
    <T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> grpcResilienceChannelCustomizers(
            ObjectProvider<ChannelBuilderCustomizer> customizers) {
        return new StarterChannelCustomizers<>(CustomizerOrder.ORDERED.select(customizers.orderedStream().toList()),
                ResilientChannelConfigurer.ORDER);
    }

    /** Customizers without an order, where Boot sorts unordered customizers: last. */
    @Bean
    <T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> grpcResilienceUnorderedChannelCustomizers(
            ObjectProvider<ChannelBuilderCustomizer> customizers) {
        return new StarterChannelCustomizers<>(CustomizerOrder.UNORDERED.select(customizers.orderedStream().toList()),
                Ordered.LOWEST_PRECEDENCE);
    }

    /** The starter's service config in Boot's; fails the startup where both set the same part explicitly. */
    @Bean
    GrpcClientDefaultServiceConfigCustomizer grpcResilienceDefaultServiceConfig(ChannelSettingsResolver settings,
            ConfiguredProperties configured) {
        ServiceConfigConflictCheck.check(new SpringGrpcProperties(configured), configured,
                settings.configuredChannelNames());
        return new StarterServiceConfig(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    ConfiguredChannels grpcResilienceConfiguredChannels() {
        return new SpringGrpcChannels();
    }
}
