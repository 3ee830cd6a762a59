package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.health.Boot3HealthContributors;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@link StreamSupervisor} bean for long-lived streams that re-establish themselves, with its
 * health ({@code grpcStreams}), metrics ({@code grpc.client.stream.*}) and {@code streams}
 * section of the {@code grpc} endpoint. Channels are looked up by net.devh client name in the
 * channel registry, so the supervisor can watch them and reset their connect backoff.
 */
@AutoConfiguration(after = GrpcResilienceChannelRegistryAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        // the same two on Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnClass(io.grpc.ManagedChannel.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import({GrpcResilienceScheduling.class, GrpcResilienceSettingsConfiguration.class})
public class GrpcResilienceStreamsAutoConfiguration {

    /** Resolves and validates every stream setting; a bad one fails the startup here. */
    @Bean
    @ConditionalOnMissingBean
    public StreamSettingsResolver grpcResilienceStreamSettings(GrpcResilienceProperties properties,
            ConfiguredProperties configured) {
        return new StreamSettingsResolver(properties, configured);
    }

    /**
     * The supervisor's thread; shut down after the supervisor, which depends on it. A replacement
     * may have any number of threads: the supervisor serialises its own decisions.
     */
    // Not a default candidate: an application's own ScheduledExecutorService injection stays
    // unambiguous, and Spring Boot still auto-configures the application's taskScheduler (it backs
    // off for any ScheduledExecutorService bean that is a default candidate).
    @Bean(destroyMethod = "shutdownNow", defaultCandidate = false)
    @ConditionalOnMissingBean(name = "grpcResilienceStreamScheduler")
    public ScheduledExecutorService grpcResilienceStreamScheduler() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "grpc-resilience-streams");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public StreamSupervisor grpcStreamSupervisor(StreamSettingsResolver settings,
            @Qualifier("grpcResilienceStreamScheduler") ScheduledExecutorService grpcResilienceStreamScheduler,
            ObjectProvider<GrpcChannelRegistry> channels, ObjectProvider<ChannelSettingsResolver> channelSettings,
            @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
        StreamSupervisor supervisor = new StreamSupervisor(settings::settings,
                name -> Optional.ofNullable(channels.getIfAvailable())
                        .flatMap(registry -> registry.get(name)).map(GrpcChannelRegistry.Entry::channel),
                grpcResilienceStreamScheduler, settings.queueCapacity(), () -> ThreadLocalRandom.current().nextDouble(),
                System::nanoTime, grpcResilienceClock);
        supervisor.addListener(new StreamEventLogger(channel -> Optional.ofNullable(channelSettings.getIfAvailable())
                .map(resolver -> resolver.channel(channel).calls().deadlineAdvice())
                .orElse("the application set the deadline on the stub or its call options")));
        supervisor.addListener(new StreamHealthLogger(settings, grpcResilienceStreamScheduler, grpcResilienceClock));
        return supervisor;
    }

    @Bean
    StreamsClosedOnShutdown grpcResilienceStreamsClosedOnShutdown(StreamSupervisor supervisor,
            ApplicationContext context) {
        return new StreamsClosedOnShutdown(supervisor, context);
    }

    /** Spring Boot 3's health API; Spring Boot 4's glue is in the Spring Boot 4 module. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthContributor")
    @ConditionalOnEnabledHealthIndicator("grpcStreams")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "grpcStreamsHealthContributor")
        HealthContributor grpcStreamsHealthContributor(StreamSupervisor supervisor, StreamSettingsResolver settings,
                @Qualifier(GrpcResilienceScheduling.CLOCK) Clock grpcResilienceClock) {
            return Boot3HealthContributors.composite(new GrpcStreamsHealth(supervisor, settings, grpcResilienceClock));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        GrpcStreamMetrics grpcStreamMetrics(MeterRegistry meters, StreamSupervisor supervisor) {
            GrpcStreamMetrics metrics = new GrpcStreamMetrics(meters);
            supervisor.addListener(metrics);
            return metrics;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StreamsEndpointSection grpcStreamsEndpointSection(StreamSupervisor supervisor) {
            return new StreamsEndpointSection(supervisor);
        }
    }
}
