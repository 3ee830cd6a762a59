package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.adapter.ConfiguredChannels;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Channel pools: a channel whose {@code pool.max-size} is above 1 is a {@link
 * io.github.grpcresilience.pool.ChannelPool} of connections built by the adapter's channel factory
 * with the channel's settings (where an adapter defines the {@link ConfiguredChannels}), with metrics ({@code grpc.client.pool.*}) and a {@code pools} section of the
 * {@code grpc} endpoint.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceChannelRegistryAutoConfiguration.class}, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        // the same two on Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnBean(ConfiguredChannels.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import({GrpcResilienceScheduling.class, GrpcResilienceSettingsConfiguration.class})
public class GrpcResiliencePoolAutoConfiguration {

    /** Pools resize on the shared scheduler, which is shut down after them (they depend on it). */
    @Bean
    @ConditionalOnMissingBean
    public ChannelPools grpcChannelPools(ChannelSettingsResolver settings, ConfiguredChannels channels,
            @Qualifier(GrpcResilienceScheduling.SCHEDULER) ScheduledExecutorService grpcResilienceScheduler,
            @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
        return new ChannelPools(settings, channels, grpcResilienceScheduler, grpcResilienceClock);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean({MeterRegistry.class, GrpcChannelRegistry.class})
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GrpcPoolMetrics grpcPoolMetrics(MeterRegistry meters, GrpcChannelRegistry registry) {
            GrpcPoolMetrics metrics = new GrpcPoolMetrics(meters);
            registry.subscribe(metrics);
            return metrics;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PoolsEndpointSection grpcPoolsEndpointSection(ChannelPools pools) {
            return new PoolsEndpointSection(pools);
        }
    }
}
