package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.resolver.CountingDnsProvider;
import io.github.grpcresilience.resolver.RefreshingNameResolverProvider;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel Spring Boot's gRPC client builds to a {@code dns:///} target re-resolves every
 * {@code resolver.refresh-interval} (plus jitter) while its connection stays up: the starter's
 * channel customizer passes the interval to the starter's DNS provider, which makes a new grpc-java
 * DNS resolver for each lookup. grpc-java's DNS provider is wrapped below the starter's to count the
 * resolvers; grpc-java itself re-resolves only when a connection closes, which does not happen here,
 * so a second resolver is the proof (about 6 s).
 */
class SpringGrpcDnsReResolutionTest {

    private final CountingDnsProvider counting = new CountingDnsProvider(CountingDnsProvider.grpcJavaDns());
    private Server server;


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
    void aBootDnsChannelReResolvesWhileItsConnectionStaysUp() {
        SpringGrpcTesting.client()
                .withPropertyValues("spring.grpc.client.channel.backend.target=dns:///127.0.0.1:" + server.getPort(),
                        "grpc.resilience.client.channels.backend.resolver.refresh-interval=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    // the starter's provider now wraps the counting one; channels must get the starter's
                    NameResolverRegistry.getDefaultRegistry().deregister(counting);
                    assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("dns"))
                            .isInstanceOf(RefreshingNameResolverProvider.class);

                    var stub = SimpleServiceGrpc.newBlockingStub(SpringGrpcTesting.channel(context, "backend"));
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                    assertThat(counting.resolvers).hasValue(1);

                    // one timer of 5 s + up to 1 s jitter; the rest is room for a loaded machine
                    await().atMost(Duration.ofSeconds(20)).until(() -> counting.resolvers.get() >= 2);
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                });
    }
}
