package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.KeepAliveSettings;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Channel pools: a channel whose {@code pool.max-size} is above 1 is a {@link
 * io.github.grpcresilience.pool.ChannelPool} of connections built by net.devh's factory with the
 * channel's settings, with metrics ({@code grpc.client.pool.*}) and a {@code pools} section of the
 * {@code grpc} endpoint.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceChannelRegistryAutoConfiguration.class}, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration"})
@ConditionalOnClass(name = "net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer")
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class GrpcResiliencePoolAutoConfiguration {

    /** Resolves and checks every channel's pool settings; a bad one fails the startup here. */
    @Bean
    @ConditionalOnMissingBean
    public PoolSettingsResolver grpcResiliencePoolSettings(KeepAliveSettings keepAlive, Environment environment) {
        PoolSettingsResolver settings = new PoolSettingsResolver(keepAlive, new ConfiguredProperties(environment));
        Set<String> channels = new TreeSet<>(keepAlive.properties().getClient().getChannels().keySet());
        channels.addAll(keepAlive.netDevh().clientNames());
        settings.validate(channels);
        return settings;
    }

    /** The resize thread of every pool; shut down after the pools, which depend on it. */
    // Not a default candidate: an application's own ScheduledExecutorService injection stays
    // unambiguous, and Spring Boot still auto-configures the application's taskScheduler (it backs
    // off for any ScheduledExecutorService bean that is a default candidate).
    @Bean(destroyMethod = "shutdownNow", defaultCandidate = false)
    @ConditionalOnMissingBean(name = "grpcResiliencePoolScheduler")
    public ScheduledExecutorService grpcResiliencePoolScheduler() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grpc-resilience-pools");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    @ConditionalOnMissingBean
    public ChannelPools grpcChannelPools(PoolSettingsResolver settings, GrpcChannelsProperties netDevh,
            @Qualifier("grpcResiliencePoolScheduler") ScheduledExecutorService grpcResiliencePoolScheduler) {
        return new ChannelPools(settings, netDevh, grpcResiliencePoolScheduler, Clock.systemUTC());
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
