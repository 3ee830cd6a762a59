package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.PropertyNamesCheck;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Keepalive in two layers, connection age and {@code too_many_pings} detection for net.devh's
 * channels and server. Runs before net.devh's auto-configurations so that its configurers are
 * among the ones net.devh applies.
 */
@AutoConfiguration(beforeName = {
        "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration"})
@ConditionalOnClass(io.grpc.ManagedChannelBuilder.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcResilienceProperties.class)
public class GrpcResilienceKeepAliveAutoConfiguration {

    /** Refuses unknown names under grpc.resilience before any bean (and the properties) is created. */
    @Bean
    static PropertyNamesCheck grpcResiliencePropertyNamesCheck() {
        return new PropertyNamesCheck();
    }

    /** Resolves and validates every keepalive setting; a bad one fails the startup here. */
    @Bean
    @ConditionalOnMissingBean
    public KeepAliveSettings grpcResilienceKeepAliveSettings(GrpcResilienceProperties properties,
            Environment environment) {
        KeepAliveSettings settings = new KeepAliveSettings(properties, new ConfiguredProperties(environment));
        new KeepAliveValidator(settings).validate();
        return settings;
    }

    @Bean
    @ConditionalOnMissingBean
    public GoAwayRegistry grpcResilienceGoAwayRegistry() {
        return new GoAwayRegistry();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer")
    static class ClientConfiguration {

        /** Owns the client event loops; closed after net.devh's channel factory, which depends on it. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        TransportHooks grpcResilienceTransportHooks() {
            return new TransportHooks(TransportKind.AUTO);
        }

        @Bean
        @ConditionalOnMissingBean
        ResilientChannelConfigurer grpcResilienceChannelConfigurer(KeepAliveSettings settings,
                TransportHooks hooks, GoAwayRegistry goAways) {
            goAways.subscribe(new TooManyPingsReporter(settings));
            return new ResilientChannelConfigurer(settings, hooks, goAways);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer")
    static class ServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilientServerConfigurer grpcResilienceServerConfigurer(KeepAliveSettings settings) {
            return new ResilientServerConfigurer(settings);
        }
    }
}
