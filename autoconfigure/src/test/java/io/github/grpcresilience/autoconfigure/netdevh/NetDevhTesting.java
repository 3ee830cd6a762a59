package io.github.grpcresilience.autoconfigure.netdevh;

import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannelBuilder;
import java.util.function.BiConsumer;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientMicrometerTraceAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import net.devh.boot.grpc.server.autoconfigure.GrpcHealthServiceAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import net.devh.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/**
 * net.devh and the starter's net.devh adapter for tests that need a client or a server but are
 * not about net.devh, so that only this package imports net.devh. The auto-configurations are
 * added with {@code withConfiguration(...)} next to the test's own; the runner sorts them all
 * together.
 */
public final class NetDevhTesting {

    private NetDevhTesting() {
    }

    /** net.devh's client with the adapter: customizers applied, channels registered. */
    public static AutoConfigurations client() {
        return AutoConfigurations.of(NetDevhSettingsAutoConfiguration.class, NetDevhClientAutoConfiguration.class,
                NetDevhChannelFactoryAutoConfiguration.class, GrpcClientAutoConfiguration.class);
    }

    /** net.devh's client observation: its interceptor that observes every call with Micrometer. */
    public static AutoConfigurations clientObservation() {
        return AutoConfigurations.of(GrpcClientMicrometerTraceAutoConfiguration.class);
    }

    /** net.devh's server with the adapter (and its grpc.health.v1 service). */
    public static AutoConfigurations server() {
        return AutoConfigurations.of(NetDevhSettingsAutoConfiguration.class, NetDevhServerAutoConfiguration.class, GrpcServerAutoConfiguration.class,
                GrpcServerFactoryAutoConfiguration.class, GrpcHealthServiceAutoConfiguration.class);
    }

    /**
     * net.devh's server with the adapter but without net.devh's server factory, for
     * {@link PortZeroGrpcServer} to supply the factory (add it with {@code withUserConfiguration}).
     */
    public static AutoConfigurations serverOnPortZero() {
        return AutoConfigurations.of(NetDevhSettingsAutoConfiguration.class, NetDevhServerAutoConfiguration.class,
                GrpcServerAutoConfiguration.class);
    }

    /** net.devh's grpc.health.v1 service alone (its {@code HealthStatusManager}), without a server. */
    public static AutoConfigurations healthService() {
        return AutoConfigurations.of(GrpcHealthServiceAutoConfiguration.class);
    }

    /** The channel net.devh's factory hands out for {@code name} (what {@code @GrpcClient} injects). */
    public static Channel channel(ApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).createChannel(name);
    }

    /**
     * The state net.devh's factory reports for channel {@code name}: its own state watcher's view,
     * updated from {@code notifyWhenStateChanged} callbacks, so it may lag the channel a little.
     */
    public static ConnectivityState connectivityState(ApplicationContext context, String name) {
        return context.getBean(GrpcChannelFactory.class).getConnectivityState().get(name);
    }

    /** A user's own net.devh channel configurer, as an application would define one. */
    public static ApplicationContextRunner withUserChannelConfigurer(ApplicationContextRunner runner, String beanName,
            BiConsumer<String, ManagedChannelBuilder<?>> configurer) {
        return runner.withBean(beanName, GrpcChannelConfigurer.class,
                () -> (builder, name) -> configurer.accept(name, builder));
    }
}
