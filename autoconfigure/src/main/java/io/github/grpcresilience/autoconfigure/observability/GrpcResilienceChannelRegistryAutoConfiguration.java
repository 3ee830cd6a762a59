package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The channel registry and the effective settings each channel is registered with, where an
 * adapter builds the client channels (it defines the {@link ConfiguredChannels} and is ordered
 * before this): the adapter's channel factory registers every managed channel it builds here.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceServiceConfigAutoConfiguration.class})
@ConditionalOnBean(ConfiguredChannels.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import({GrpcResilienceScheduling.class, GrpcResilienceSettingsConfiguration.class})
public class GrpcResilienceChannelRegistryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GrpcChannelRegistry grpcChannelRegistry(
            @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
        return new GrpcChannelRegistry(grpcResilienceClock);
    }

    @Bean
    @ConditionalOnMissingBean
    public EffectiveChannelSettings grpcResilienceEffectiveChannelSettings(ChannelSettingsResolver settings,
            ObjectProvider<ResilientChannelConfigurer> configurer) {
        return new EffectiveChannelSettings(settings, configurer);
    }
}
