package io.github.grpcresilience.autoconfigure.serviceconfig;

import io.github.grpcresilience.resolver.RefreshingNameResolverProvider;
import io.github.grpcresilience.resolver.StaticNameResolverProvider;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;

/**
 * Registers the starter's name resolver providers in grpc-java's default registry (as net.devh
 * does for its own) and removes them when the context closes: the multi-address {@code static:}
 * provider and the refreshing wrapper of grpc-java's DNS provider. Both behave exactly like the
 * providers they take precedence over for a channel that does not use their additions.
 */
final class ResolverRegistration implements DisposableBean {

    private final NameResolverRegistry registry;
    private final List<NameResolverProvider> registered = new ArrayList<>();

    ResolverRegistration(NameResolverRegistry registry) {
        this.registry = registry;
        register(new StaticNameResolverProvider());
        NameResolverProvider dns = registry.getProviderForScheme("dns");
        if (dns instanceof RefreshingNameResolverProvider refreshing) {
            dns = refreshing.delegate();
        }
        if (dns != null) {
            register(new RefreshingNameResolverProvider(dns));
        }
    }

    private void register(NameResolverProvider provider) {
        registry.register(provider);
        registered.add(provider);
    }

    @Override
    public void destroy() {
        registered.forEach(registry::deregister);
    }
}
