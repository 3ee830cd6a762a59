package io.github.grpcresilience.resolver;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * grpc-java's DNS provider, counting the resolvers it makes (the starter's makes one per lookup)
 * and the refreshes and shutdowns they get. Registered at priority 7, above the starter's provider (6), it is the one the starter's
 * registration finds to wrap; tests deregister it once that has happened.
 */
public final class CountingDnsProvider extends NameResolverProvider {
    public final AtomicInteger resolvers = new AtomicInteger();
    public final AtomicInteger refreshes = new AtomicInteger();
    public final AtomicInteger shutdowns = new AtomicInteger();
    private final NameResolverProvider dns;

    public CountingDnsProvider(NameResolverProvider dns) {
        this.dns = dns;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        NameResolver resolver = dns.newNameResolver(targetUri, args);
        if (resolver == null) {
            return null;
        }
        resolvers.incrementAndGet();
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return resolver.getServiceAuthority();
            }

            @Override
            public void start(Listener2 listener) {
                resolver.start(listener);
            }

            @Override
            public void refresh() {
                refreshes.incrementAndGet();
                resolver.refresh();
            }

            @Override
            public void shutdown() {
                shutdowns.incrementAndGet();
                resolver.shutdown();
            }
        };
    }

    @Override
    public String getDefaultScheme() {
        return dns.getDefaultScheme();
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    /** Above the starter's provider (6) until deregistered. */
    @Override
    protected int priority() {
        return 7;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return dns.getProducedSocketAddressTypes();
    }

    /** grpc-java's own DNS provider, also where the starter's has wrapped it already. */
    public static NameResolverProvider grpcJavaDns() {
        NameResolverProvider dns = NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns");
        return dns instanceof RefreshingNameResolverProvider refreshing ? refreshing.delegate() : dns;
    }
}
