package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultInjectingProxy#injectPings(int)} against a real grpc-java server that permits a
 * ping every 10 s (the starter's server default): a burst is answered with GOAWAY
 * {@code too_many_pings} (grpc-java's {@code KeepAliveEnforcer} allows 2 strikes), a single ping is
 * not, and pings injected while the client writes large messages never corrupt its frames.
 */
class FaultInjectingProxyPingsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Server server;
    private FaultInjectingProxy proxy;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(builder -> builder.permitKeepAliveTime(10, TimeUnit.SECONDS));
        proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort());
        // a fixed flow-control window turns off grpc-java's BDP pings, so the injected pings are
        // the only ones the server's strike counter sees
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext()
                .flowControlWindow(NettyChannelBuilder.DEFAULT_FLOW_CONTROL_WINDOW).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        server.shutdownNow();
    }

    @Test
    void aBurstOfPingsMakesTheServerSendGoAwayTooManyPings() {
        CompletableFuture<Status> stream = QuietStream.open(channel);

        assertThat(proxy.injectPings(5)).isEqualTo(1);

        Status status = stream.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(status.getDescription()).contains("too_many_pings");
    }

    @Test
    void onePingIsWithinTheServersStrikesAndTheConnectionCarriesOn() {
        CompletableFuture<Status> stream = QuietStream.open(channel);

        assertThat(proxy.injectPings(1)).isEqualTo(1);
        // the call's frames follow the ping on the same connection: its answer means the server
        // has read the ping
        assertThat(echo("after the ping")).isEqualTo("after the ping");

        assertThat(stream).isNotDone();
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }

    @Test
    void pingsInjectedWhileTheClientWritesLargeMessagesLandBetweenItsFrames() {
        String large = "x".repeat(300_000);
        for (int i = 0; i < 10; i++) {
            CompletableFuture<String> reply = echoAsync(large + i);
            proxy.injectPings(1);
            assertThat(reply.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join()).isEqualTo(large + i);
        }
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }

    @Test
    void connectionsOpenedAfterTheInjectionGetNoPings() {
        assertThat(proxy.injectPings(5)).isZero();
        CompletableFuture<Status> stream = QuietStream.open(channel);
        assertThat(echo("fresh connection")).isEqualTo("fresh connection");
        assertThat(stream).isNotDone();
    }

    private String echo(String message) {
        return echoAsync(message).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private CompletableFuture<String> echoAsync(String message) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        SimpleServiceGrpc.newStub(channel).withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage(message).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(SimpleResponse value) {
                        reply.complete(value.getResponseMessage());
                    }

                    @Override
                    public void onError(Throwable t) {
                        reply.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return reply;
    }
}
