package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.autoconfigure.adapter.ServerBuilderCustomizer;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.adapter.CustomizerOrder;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceObservabilityAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serverhealth.GrpcResilienceServerHealthAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The starter on Spring Boot's gRPC server: the starter's {@link ServerBuilderCustomizer}s applied
 * as Spring gRPC server builder customizers (ordered ones before the user's, unordered ones last,
 * see {@link CustomizerOrder}; Spring Boot applies its {@code spring.grpc.server.*} properties
 * before any customizer bean), and Spring gRPC's server lifecycle events told to every
 * {@link GrpcServerListener}.
 *
 * <p>It also imports the starter's shared {@link GrpcResilienceScheduling}, first among the
 * auto-configurations that import it, because it has no condition on beans. Spring registers an
 * imported configuration at the position of its first importer and, to decide whether every
 * importer was skipped, evaluates the importers' bean conditions right there, once for good. On a
 * server without the starter's client side the first importers (the channel registry, the pool)
 * are skipped, so {@link GrpcResilienceServerHealthAutoConfiguration}'s condition on the
 * {@code HealthStatusManager} and {@code ApplicationAvailability} beans was decided before Spring
 * Boot's auto-configurations had defined them, and the server health never started.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
        before = {GrpcResilienceChannelRegistryAutoConfiguration.class, GrpcResilienceObservabilityAutoConfiguration.class,
                GrpcResiliencePoolAutoConfiguration.class, GrpcResilienceStreamsAutoConfiguration.class,
                GrpcResilienceServerHealthAutoConfiguration.class})
@ConditionalOnClass({org.springframework.grpc.server.ServerBuilderCustomizer.class, GrpcServerStartedEvent.class})
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceScheduling.class)
public class SpringGrpcServerAutoConfiguration {

    /** The starter's ordered customizers, at the keepalive configurer's order: before the user's customizers. */
    @Bean
    SpringGrpcServerCustomizers<?> grpcResilienceServerCustomizers(ObjectProvider<ServerBuilderCustomizer> customizers) {
        return new SpringGrpcServerCustomizers<>(CustomizerOrder.ORDERED.select(customizers.orderedStream().toList()),
                ResilientChannelConfigurer.ORDER);
    }

    /** Customizers without an order, where Spring Boot sorts unordered customizers: last. */
    @Bean
    SpringGrpcServerCustomizers<?> grpcResilienceUnorderedServerCustomizers(
            ObjectProvider<ServerBuilderCustomizer> customizers) {
        return new SpringGrpcServerCustomizers<>(
                CustomizerOrder.UNORDERED.select(customizers.orderedStream().toList()), Ordered.LOWEST_PRECEDENCE);
    }

    @Bean
    SpringGrpcServerLifecycleEvents grpcResilienceServerLifecycleEvents(ObjectProvider<GrpcServerListener> listeners) {
        return new SpringGrpcServerLifecycleEvents(listeners);
    }
}
