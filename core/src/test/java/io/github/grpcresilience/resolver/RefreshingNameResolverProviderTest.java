package io.github.grpcresilience.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.SynchronizationContext;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target whose address list changes (like a DNS name when pods are added) is picked up by a
 * channel that asks for periodic refresh, over real servers; the test resolver, like grpc-java's
 * DNS resolver, only looks again when started or refreshed.
 */
class RefreshingNameResolverProviderTest {

    private static final String SCHEME = "changing-test";

    private final AtomicReference<List<InetSocketAddress>> addresses = new AtomicReference<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final ChangingProvider delegate = new ChangingProvider();
    private final RefreshingNameResolverProvider provider = new RefreshingNameResolverProvider(delegate);
    private Server first;
    private Server second;
    private final AtomicInteger secondCalls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        first = TestServers.start();
        second = TestServers.start(builder -> builder.addService(ServerInterceptors.intercept(
                new TestServers.QuietService(), new io.grpc.ServerInterceptor() {
                    @Override
                    public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
                            io.grpc.ServerCall<ReqT, RespT> call, io.grpc.Metadata headers,
                            io.grpc.ServerCallHandler<ReqT, RespT> next) {
                        secondCalls.incrementAndGet();
                        return next.startCall(call, headers);
                    }
                })));
        addresses.set(List.of(address(first)));
        NameResolverRegistry.getDefaultRegistry().register(provider);
    }

    @AfterEach
    void stop() {
        NameResolverRegistry.getDefaultRegistry().deregister(provider);
        first.shutdownNow();
        second.shutdownNow();
    }

    private static InetSocketAddress address(Server server) {
        return new InetSocketAddress("127.0.0.1", server.getPort());
    }

    @Test
    void newAddressesAreUsedWithinTheInterval() {
        ManagedChannel channel = NettyChannelBuilder.forTarget(SCHEME + ":///backends").usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .setNameResolverArg(RefreshingNameResolverProvider.REFRESH_INTERVAL, Duration.ofMillis(200))
                .build();
        try {
            var stub = SimpleServiceGrpc.newBlockingStub(channel);
            stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
            assertThat(secondCalls).hasValue(0);

            addresses.set(List.of(address(first), address(second)));
            // round_robin sends calls to the second server as soon as a refresh reports it
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                return secondCalls.get() > 0;
            });
            assertThat(lookups.get()).as("one resolver per lookup").isGreaterThan(1);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void channelsWithoutTheArgumentGetTheDelegatesResolverUnchanged() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            NameResolver.Args args = NameResolver.Args.newBuilder().setDefaultPort(443)
                    .setProxyDetector(target -> null)
                    .setSynchronizationContext(new SynchronizationContext((thread, error) -> { }))
                    .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
                        @Override
                        public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> config) {
                            return null;
                        }
                    })
                    .setScheduledExecutorService(scheduler).build();
            NameResolver resolver = provider.newNameResolver(URI.create(SCHEME + ":///backends"), args);
            assertThat(resolver).isInstanceOf(ChangingResolver.class);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Resolves to the current list on start and on each refresh, never by itself. */
    private final class ChangingResolver extends NameResolver {
        private Listener2 listener;

        @Override
        public String getServiceAuthority() {
            return "backends";
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            lookups.incrementAndGet();
            publish();
        }

        @Override
        public void refresh() {
            publish();
        }

        private void publish() {
            List<EquivalentAddressGroup> groups = addresses.get().stream().map(EquivalentAddressGroup::new).toList();
            listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }

        @Override
        public void shutdown() {
        }
    }

    private final class ChangingProvider extends NameResolverProvider {
        @Override
        public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
            return SCHEME.equals(targetUri.getScheme()) ? new ChangingResolver() : null;
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }
    }
}
