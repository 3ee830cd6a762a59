package io.github.grpcresilience.autoconfigure.netdevh;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.ManagedChannelAssembler;
import io.github.grpcresilience.autoconfigure.observability.EffectiveChannelSettings;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import java.util.List;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.channelfactory.InProcessChannelFactory;
import net.devh.boot.grpc.client.channelfactory.InProcessOrAlternativeChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.interceptor.GlobalClientInterceptorRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * net.devh's channel factory, extended to register every managed channel it builds in the
 * channel registry, in place of net.devh's own (same flavour choice: shaded Netty, then Netty,
 * then in-process), wherever the registry is. Defining your own {@link GrpcChannelFactory} bean
 * switches this off.
 */
@AutoConfiguration(after = GrpcResilienceChannelRegistryAutoConfiguration.class,
        beforeName = "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass(GrpcChannelFactory.class)
@ConditionalOnBean(GrpcChannelRegistry.class)
@ConditionalOnProperty(prefix = GrpcResilienceProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class NetDevhChannelFactoryAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean(GrpcChannelFactory.class)
    @ConditionalOnClass(name = "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder")
    GrpcChannelFactory shadedNettyGrpcChannelFactory(GrpcChannelsProperties properties,
            GlobalClientInterceptorRegistry interceptors, List<GrpcChannelConfigurer> configurers,
            GrpcChannelRegistry registry, EffectiveChannelSettings settings,
            ObjectProvider<TransportFailureListener> failureListeners, ObjectProvider<ManagedChannelAssembler> assemblers) {
        return observed(properties, interceptors, configurers, registry,
                new ChannelRegistrar(registry, properties, settings, assemblers), failureListeners,
                ShadedNettyRegisteringChannelFactory::new);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean(GrpcChannelFactory.class)
    @ConditionalOnClass(name = "io.grpc.netty.NettyChannelBuilder")
    GrpcChannelFactory nettyGrpcChannelFactory(GrpcChannelsProperties properties,
            GlobalClientInterceptorRegistry interceptors, List<GrpcChannelConfigurer> configurers,
            GrpcChannelRegistry registry, EffectiveChannelSettings settings,
            ObjectProvider<TransportFailureListener> failureListeners, ObjectProvider<ManagedChannelAssembler> assemblers) {
        return observed(properties, interceptors, configurers, registry,
                new ChannelRegistrar(registry, properties, settings, assemblers), failureListeners,
                NettyRegisteringChannelFactory::new);
    }

    /** Builds one of net.devh's network channel factories. */
    @FunctionalInterface
    interface FactoryConstructor {
        GrpcChannelFactory create(GrpcChannelsProperties properties, GlobalClientInterceptorRegistry interceptors,
                List<GrpcChannelConfigurer> configurers, RegisteringChannelFactories.Registrar registrar);
    }

    /** net.devh's arrangement (in-process or network by address), registering and observed. */
    private static GrpcChannelFactory observed(GrpcChannelsProperties properties,
            GlobalClientInterceptorRegistry interceptors, List<GrpcChannelConfigurer> configurers,
            GrpcChannelRegistry registry, ChannelRegistrar registrar,
            ObjectProvider<TransportFailureListener> failureListeners, FactoryConstructor network) {
        InProcessChannelFactory inProcess =
                new RegisteringChannelFactories.InProcess(properties, interceptors, configurers, registrar);
        GrpcChannelFactory factory = new InProcessOrAlternativeChannelFactory(properties, inProcess,
                network.create(properties, interceptors, configurers, registrar));
        return new ObservedGrpcChannelFactory(factory, registry, failureListeners.orderedStream().toList());
    }
}
