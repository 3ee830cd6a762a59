package io.github.grpcresilience.autoconfigure.springgrpc;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.observability.EffectiveChannelSettings;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Spring gRPC's channel factories, each wrapped to hand out one registered channel (or pool) per
 * channel name, wherever the channel registry is.
 */
@AutoConfiguration(after = {GrpcResilienceChannelRegistryAutoConfiguration.class,
        GrpcResiliencePoolAutoConfiguration.class},
        beforeName = "org.springframework.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass(GrpcChannelFactory.class)
@ConditionalOnBean(GrpcChannelRegistry.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class SpringGrpcChannelFactoryAutoConfiguration {

    /** Static, as a post-processor must be; the beans it needs are looked up when the first channel is built. */
    @Bean
    static ChannelFactoryRegistration grpcResilienceChannelFactoryRegistration(
            ObjectProvider<GrpcChannelRegistry> registry, ObjectProvider<EffectiveChannelSettings> settings,
            ObjectProvider<ManagedChannelAssembler> assemblers,
            ObjectProvider<TransportFailureListener> failureListeners,
            ObjectProvider<UnderlyingGrpcSettings> underlying) {
        return new ChannelFactoryRegistration(
                new ChannelRegistration(registry, settings, assemblers, failureListeners, underlying));
    }
}
