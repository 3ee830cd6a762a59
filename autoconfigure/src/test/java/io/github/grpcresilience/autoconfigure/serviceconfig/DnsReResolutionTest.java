package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.resolver.RefreshingNameResolverProvider;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A net.devh channel to a {@code dns:///} target re-resolves every
 * {@code resolver.refresh-interval} (plus jitter) while its connection stays up: the service-config
 * configurer passes the interval as a name-resolver argument and the starter's provider wraps
 * grpc-java's DNS resolver. The DNS resolver is wrapped once more, below the starter's, to count
 * the refreshes it is asked for; grpc-java itself refreshes only when a connection closes, which
 * does not happen here.
 */
class DnsReResolutionTest {

    private final CountingDnsProvider counting = new CountingDnsProvider(dnsProvider());
    private Server server;

    private static NameResolverProvider dnsProvider() {
        NameResolverProvider dns = NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns");
        return dns instanceof RefreshingNameResolverProvider refreshing ? refreshing.delegate() : dns;
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        // highest for dns while the starter's registration looks for the provider to wrap
        NameResolverRegistry.getDefaultRegistry().register(counting);
    }

    @AfterEach
    void stop() {
        NameResolverRegistry.getDefaultRegistry().deregister(counting);
        server.shutdownNow();
    }

    @Test
    void aDnsChannelReResolvesEveryIntervalAndStopsWhenClosed() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.backend.address=dns:///127.0.0.1:" + server.getPort(),
                        "grpc.client.backend.negotiation-type=plaintext",
                        "grpc.client.backend.shutdown-grace-period=0s",
                        "grpc.resilience.client.channels.backend.resolver.refresh-interval=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // the starter's provider now wraps the counting one; channels must get the starter's
                    NameResolverRegistry.getDefaultRegistry().deregister(counting);
                    assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns"))
                            .isInstanceOf(RefreshingNameResolverProvider.class);

                    var stub = SimpleServiceGrpc.newBlockingStub(
                            NetDevhTesting.channel(context, "backend"));
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                    assertThat(counting.resolvers).hasValue(1);

                    // two timers of 5 s + up to 1 s jitter each; the rest is room for a loaded machine
                    await().atMost(Duration.ofSeconds(30)).until(() -> counting.refreshes.get() >= 2);
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                });
        assertThat(counting.shutdowns).as("closing the context shuts the resolver down").hasValue(1);
    }

    /** grpc-java's DNS provider, counting the resolvers it makes and the refreshes they get. */
    private static final class CountingDnsProvider extends NameResolverProvider {
        final AtomicInteger resolvers = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger shutdowns = new AtomicInteger();
        private final NameResolverProvider dns;

        CountingDnsProvider(NameResolverProvider dns) {
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
    }
}
