package io.github.grpcresilience.resolver;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Serves {@code static:} targets with one or several fixed addresses, in both forms of
 * {@link StaticTarget}. Its priority is above net.devh's provider for the same scheme, whose
 * single-address behaviour it keeps; unlike net.devh's, the authority of a multi-address target is
 * its first address ({@code h1:p1}), a valid authority that observation and TLS can parse.
 */
public final class StaticNameResolverProvider extends NameResolverProvider {

    /** net.devh's provider has 4. */
    private static final int PRIORITY = 6;

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!StaticTarget.SCHEME.equals(targetUri.getScheme())) {
            return null;
        }
        List<StaticTarget.HostPort> addresses = StaticTarget.parse(StaticTarget.addressList(targetUri),
                args.getDefaultPort());
        return new Resolver(addresses);
    }

    @Override
    public String getDefaultScheme() {
        return StaticTarget.SCHEME;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return PRIORITY;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return List.of(InetSocketAddress.class);
    }

    /** Resolves host names once, when the channel starts it; the list never changes. */
    private static final class Resolver extends NameResolver {
        private final List<StaticTarget.HostPort> addresses;

        Resolver(List<StaticTarget.HostPort> addresses) {
            this.addresses = addresses;
        }

        @Override
        public String getServiceAuthority() {
            return addresses.get(0).toString();
        }

        @Override
        public void start(Listener2 listener) {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            for (StaticTarget.HostPort address : addresses) {
                InetSocketAddress resolved = new InetSocketAddress(address.unbracketedHost(), address.port());
                if (resolved.isUnresolved()) {
                    listener.onError(Status.UNAVAILABLE.withDescription("cannot resolve " + address.host()));
                    return;
                }
                groups.add(new EquivalentAddressGroup(resolved));
            }
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }

        @Override
        public void shutdown() {
        }

        @Override
        public String toString() {
            return "StaticNameResolver" + addresses;
        }
    }
}
