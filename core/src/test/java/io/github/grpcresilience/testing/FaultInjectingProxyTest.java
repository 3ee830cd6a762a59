package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectingProxyTest {

    private Server server;
    private FaultInjectingProxy proxy;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", proxy.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        proxy.close();
        server.shutdownNow();
    }

    private void call(int deadlineSeconds) {
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("hello").build());
    }

    @Test
    void passCarriesCalls() {
        call(5);
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }

    @Test
    void freezeKeepsTheConnectionButForwardsNothing() {
        call(5);
        proxy.freeze();
        assertThatThrownBy(() -> call(1)).isInstanceOfSatisfying(StatusRuntimeException.class,
                ex -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }

    @Test
    void resetBreaksOpenStreamsAndNewCallsWorkAfterwards() throws Exception {
        CompletableFuture<Status> closed = QuietStream.open(channel);
        proxy.reset();
        assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> call(2));
        assertThat(proxy.connectionCount()).isEqualTo(1);
    }
}
