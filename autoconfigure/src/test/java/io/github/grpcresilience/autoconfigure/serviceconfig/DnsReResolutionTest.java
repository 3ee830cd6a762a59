package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
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
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A net.devh channel to a {@code dns:///} target re-resolves every
 * {@code resolver.refresh-interval} (plus jitter) while its connection stays up: the service-config
 * configurer passes the interval as a name-resolver argument and the starter's provider makes a new
 * grpc-java DNS resolver for each lookup. grpc-java's DNS provider is wrapped once more, below the
 * starter's, to count the resolvers it makes; grpc-java itself re-resolves only when a connection
 * closes, which does not happen here.
 */
class DnsReResolutionTest {

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
                    await().atMost(Duration.ofSeconds(30)).until(() -> counting.resolvers.get() >= 3);
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
                });
        assertThat(counting.shutdowns.get()).as("each resolver is shut down: replaced ones at once, the last when "
                + "the context closes").isEqualTo(counting.resolvers.get());
    }
}
