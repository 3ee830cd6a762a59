package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcClient;
import io.github.grpcresilience.autoconfigure.adapter.ConditionalOnGrpcServer;
import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.transport.TransportHooks;
import io.github.grpcresilience.transport.TransportKind;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Keepalive in two layers, connection age and {@code too_many_pings} detection for the
 * integration's channels and server. Runs before the integration's auto-configurations (net.devh's
 * or Spring Boot's) so that its customizers are among the ones the integration applies.
 */
@AutoConfiguration(beforeName = {
        "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
        "net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration",
        "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration",
        "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration"})
@ConditionalOnClass(io.grpc.ManagedChannelBuilder.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
@Import(GrpcResilienceSettingsConfiguration.class)
public class GrpcResilienceKeepAliveAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public GoAwayRegistry grpcResilienceGoAwayRegistry() {
        return new GoAwayRegistry();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnGrpcClient
    static class ClientConfiguration {

        /** Owns the client event loops; closed after net.devh's channel factory, which depends on it. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        TransportHooks grpcResilienceTransportHooks() {
            return new TransportHooks(TransportKind.AUTO);
        }

        @Bean
        @ConditionalOnMissingBean
        ResilientChannelConfigurer grpcResilienceChannelConfigurer(ChannelSettingsResolver settings,
                TransportHooks hooks, GoAwayRegistry goAways) {
            goAways.subscribe(new TooManyPingsReporter(settings));
            return new ResilientChannelConfigurer(settings, hooks, goAways);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnGrpcServer
    static class ServerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilientServerConfigurer grpcResilienceServerConfigurer(ServerKeepAliveSettings settings) {
            return new ResilientServerConfigurer(settings);
        }
    }
}
