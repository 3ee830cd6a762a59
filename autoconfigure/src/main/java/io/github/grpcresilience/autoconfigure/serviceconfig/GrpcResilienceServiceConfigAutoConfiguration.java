package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcClient;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.grpc.NameResolverRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;

/**
 * Retry, hedging, throttling, load balancing, client-side health checking and deadlines as typed
 * properties, applied to every channel the integration builds as its default service config; periodic
 * re-resolution of dns: targets; multi-address static: targets that work on grpc-java 1.83+.
 */
@AutoConfiguration(after = GrpcResilienceKeepAliveAutoConfiguration.class,
        beforeName = {"net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
                "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration"})
@ConditionalOnGrpcClient
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceSettingsConfiguration.class)
public class GrpcResilienceServiceConfigAutoConfiguration {

    /** Warns about channel settings whose name matches no net.devh client. */
    @Bean
    ChannelNamesCheck grpcResilienceChannelNamesCheck(ChannelSettingsResolver settings,
            ObjectProvider<GrpcChannelRegistry> registry) {
        return new ChannelNamesCheck(settings, registry);
    }

    /** Depends on the resolver registration, so the providers exist before net.devh builds a channel. */
    @Bean
    @DependsOn("grpcResilienceResolverRegistration")
    @ConditionalOnMissingBean
    public ServiceConfigChannelConfigurer grpcResilienceServiceConfigChannelConfigurer(
            ChannelSettingsResolver settings) {
        return new ServiceConfigChannelConfigurer(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    ResolverRegistration grpcResilienceResolverRegistration() {
        return new ResolverRegistration(NameResolverRegistry.getDefaultRegistry());
    }
}
