package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
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
@Import(GrpcResilienceSettingsConfiguration.class)
public class GrpcResilienceKeepAliveAutoConfiguration {

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
        ResilientChannelConfigurer grpcResilienceChannelConfigurer(ChannelSettingsResolver settings,
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
        ResilientServerConfigurer grpcResilienceServerConfigurer(ServerKeepAliveSettings settings) {
            return new ResilientServerConfigurer(settings);
        }
    }
}
