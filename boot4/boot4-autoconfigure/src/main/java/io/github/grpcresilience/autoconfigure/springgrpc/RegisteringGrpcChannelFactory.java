package io.github.grpcresilience.autoconfigure.springgrpc;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.grpc.client.InProcessGrpcChannelFactory;

/**
 * One of Spring gRPC's channel factories, handing out one channel per channel name, registered.
 *
 * <p>Spring gRPC builds a new {@link ManagedChannel} on every {@code createChannel}, and
 * {@code @ImportGrpcClients} calls it once per stub bean. The registry, the health contributor,
 * the metrics and the pool know a channel by its name, as net.devh does: so every request with
 * Spring gRPC's default options (what stubs and {@code createChannel(target)} use) gets the same
 * channel, or pool, for a name, built on the first request and registered through {@link
 * ChannelRegistration}. It is owned by the context: the wrapped factory closes it on shutdown, and
 * whoever shuts it down earlier shuts it down for every stub of the name (a later request builds
 * a new one, which registers once the registry has seen the old one reach SHUTDOWN). A request with options of its own (interceptors, a customizer, a grace period) gets
 * a channel of its own from the wrapped factory, with the starter's keepalive and service config
 * (they are Boot customizers) but neither registered nor pooled, since the name is taken.
 *
 * <p>Thread-safety: a name's channel is built by the first requesting thread, outside any lock;
 * concurrent requests for the name wait for that one.
 */
final class RegisteringGrpcChannelFactory implements GrpcChannelFactory, DisposableBean {

    private static final Log log = LogFactory.getLog(RegisteringGrpcChannelFactory.class);

    private final GrpcChannelFactory delegate;
    private final ChannelRegistration registration;
    private final boolean network;
    private final Map<String, CompletableFuture<ManagedChannel>> channels = new ConcurrentHashMap<>();
    private final Set<String> ownOptionsLogged = ConcurrentHashMap.newKeySet();

    RegisteringGrpcChannelFactory(GrpcChannelFactory delegate, ChannelRegistration registration) {
        this.delegate = delegate;
        this.registration = registration;
        this.network = !(delegate instanceof InProcessGrpcChannelFactory);
    }

    /** The factory Spring gRPC built. */
    GrpcChannelFactory delegate() {
        return delegate;
    }

    @Override
    public boolean supports(String target) {
        return delegate.supports(target);
    }

    @Override
    public boolean supports(ClientInterceptor interceptor) {
        return delegate.supports(interceptor);
    }

    @Override
    public ManagedChannel createChannel(String target, ChannelBuilderOptions options) {
        if (!isDefault(options)) {
            if (ownOptionsLogged.add(target)) {
                log.info("gRPC channel '" + target + "' was requested with options of its own: it gets its own "
                        + "channel, which is neither pooled nor in the channel registry (health, metrics, the grpc "
                        + "endpoint); use createChannel(\"" + target + "\") and a GrpcChannelBuilderCustomizer bean "
                        + "to share the registered one");
            }
            return delegate.createChannel(target, options);
        }
        CompletableFuture<ManagedChannel> mine = new CompletableFuture<>();
        CompletableFuture<ManagedChannel> existing;
        while ((existing = channels.putIfAbsent(target, mine)) != null) {
            ManagedChannel channel = existing.join();
            if (!channel.isShutdown()) {
                return channel;
            }
            channels.remove(target, existing);
        }
        try {
            ManagedChannel channel = registration.newChannel(target, network,
                    () -> delegate.createChannel(target, ChannelBuilderOptions.defaults()));
            mine.complete(channel);
            return channel;
        } catch (RuntimeException | Error failure) {
            channels.remove(target, mine);
            mine.completeExceptionally(failure);
            throw failure;
        }
    }

    /** Whether the options are Spring gRPC's defaults (they have no equals). */
    static boolean isDefault(ChannelBuilderOptions options) {
        ChannelBuilderOptions defaults = ChannelBuilderOptions.defaults();
        return options.interceptors().isEmpty() && !options.mergeWithGlobalInterceptors()
                && options.shutdownGracePeriod().equals(defaults.shutdownGracePeriod())
                && customizer(options) == customizer(defaults);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static GrpcChannelBuilderCustomizer customizer(ChannelBuilderOptions options) {
        return options.customizer();
    }

    @Override
    public void destroy() throws Exception {
        if (delegate instanceof DisposableBean disposable) {
            disposable.destroy();
        }
    }
}
