package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.autoconfigure.channel.ChannelSettingsResolver;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.GrpcResilienceSettingsConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.keepalive.ResilientChannelConfigurer;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import io.github.grpcresilience.connectivity.TransportFailureListener;
import java.time.Clock;
import java.util.List;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.client.channelfactory.InProcessChannelFactory;
import net.devh.boot.grpc.client.channelfactory.InProcessOrAlternativeChannelFactory;
import net.devh.boot.grpc.client.config.GrpcChannelsProperties;
import net.devh.boot.grpc.client.interceptor.GlobalClientInterceptorRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;

/**
 * The channel registry: net.devh's channel factory, extended to register every managed channel it
 * builds, replaces net.devh's own (same flavour choice: shaded Netty, then Netty, then in-process).
 * Defining your own {@link GrpcChannelFactory} bean switches this off.
 */
@AutoConfiguration(after = {GrpcResilienceKeepAliveAutoConfiguration.class,
        GrpcResilienceServiceConfigAutoConfiguration.class},
        beforeName = "net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration")
@ConditionalOnClass(GrpcChannelFactory.class)
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
    @Lazy
    @ConditionalOnMissingBean(GrpcChannelFactory.class)
    @ConditionalOnClass(name = "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder")
    GrpcChannelFactory shadedNettyGrpcChannelFactory(GrpcChannelsProperties properties,
            GlobalClientInterceptorRegistry interceptors, List<GrpcChannelConfigurer> configurers,
            GrpcChannelRegistry registry, ChannelSettingsResolver settings,
            ObjectProvider<ResilientChannelConfigurer> configurer,
            ObjectProvider<TransportFailureListener> failureListeners, ObjectProvider<ManagedChannelAssembler> assemblers) {
        return observed(properties, interceptors, configurers, registry,
                new ChannelRegistrar(registry, properties, settings, configurer, assemblers),
                failureListeners,
                RegisteringChannelFactories.ShadedNetty::new);
    }

    @Bean
    @Lazy
    @ConditionalOnMissingBean(GrpcChannelFactory.class)
    @ConditionalOnClass(name = "io.grpc.netty.NettyChannelBuilder")
    GrpcChannelFactory nettyGrpcChannelFactory(GrpcChannelsProperties properties,
            GlobalClientInterceptorRegistry interceptors, List<GrpcChannelConfigurer> configurers,
            GrpcChannelRegistry registry, ChannelSettingsResolver settings,
            ObjectProvider<ResilientChannelConfigurer> configurer,
            ObjectProvider<TransportFailureListener> failureListeners, ObjectProvider<ManagedChannelAssembler> assemblers) {
        return observed(properties, interceptors, configurers, registry,
                new ChannelRegistrar(registry, properties, settings, configurer, assemblers),
                failureListeners,
                RegisteringChannelFactories.Netty::new);
    }

    /** Builds one of net.devh's channel factories. */
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
