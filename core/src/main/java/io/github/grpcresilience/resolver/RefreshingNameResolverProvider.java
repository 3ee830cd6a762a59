package io.github.grpcresilience.resolver;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;

/**
 * Wraps a provider (grpc-java's DNS provider) so that a channel that asks for it re-resolves its
 * target periodically, with a new resolver from the wrapped provider for each lookup (see
 * {@link RefreshingNameResolver}). grpc-java re-resolves only when a connection closes, and then at
 * most every 30 s, so new backends behind a {@code dns:///} name get no calls until something breaks. A channel opts in with
 * {@code builder.setNameResolverArg(REFRESH_INTERVAL, interval)}; every other channel gets the
 * delegate's resolver unchanged, so registering this provider globally changes nothing else.
 */
public final class RefreshingNameResolverProvider extends NameResolverProvider {

    /** The per-channel refresh interval; channels without it are not refreshed. */
    public static final NameResolver.Args.Key<Duration> REFRESH_INTERVAL =
            NameResolver.Args.Key.create("grpc-resilience refresh interval");

    private static final int PRIORITY = 6;

    private final NameResolverProvider delegate;

    /** @param delegate the provider whose resolvers are refreshed; its scheme is this provider's scheme */
    public RefreshingNameResolverProvider(NameResolverProvider delegate) {
        this.delegate = delegate;
    }

    public NameResolverProvider delegate() {
        return delegate;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        NameResolver resolver = delegate.newNameResolver(targetUri, args);
        Duration interval = args.getArg(REFRESH_INTERVAL);
        if (resolver == null || interval == null) {
            return resolver;
        }
        return new RefreshingNameResolver(resolver, () -> delegate.newNameResolver(targetUri, args), interval,
                args.getSynchronizationContext(), args.getScheduledExecutorService());
    }

    @Override
    public String getDefaultScheme() {
        return delegate.getDefaultScheme();
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    /** Above grpc-java's DNS provider (5), so that this provider is chosen for its scheme. */
    @Override
    protected int priority() {
        return PRIORITY;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return delegate.getProducedSocketAddressTypes();
    }

    @Override
    public String toString() {
        return "RefreshingNameResolverProvider[" + delegate + "]";
    }
}
