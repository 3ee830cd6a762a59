package io.github.grpcresilience.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.transport.TestServers;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KernelBlackHoleTest {

    @BeforeAll
    static void requireKernelFaults() {
        KernelBlackHole.assumeOrFailInCi();
    }

    @Test
    void dropsPacketsSilentlyUntilReleased() throws Exception {
        Server server = TestServers.start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try (KernelBlackHole blackHole = KernelBlackHole.forPort(server.getPort())) {
            call(channel, 5);
            blackHole.engage();
            assertThat(tables()).contains("grpc_resilience_test_" + server.getPort());
            // No RST: the call waits for its deadline instead of failing fast.
            assertThatThrownBy(() -> call(channel, 2)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    ex -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            blackHole.release();
            assertThat(tables()).doesNotContain("grpc_resilience_test_" + server.getPort());
            call(channel, 10);
            blackHole.release();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow();
        }
    }

    @Test
    void anAddressScopedBlackHoleSparesTheOtherAddressesOnThePort() throws Exception {
        Server lost = NettyServerBuilder.forAddress(new InetSocketAddress("127.23.99.1", 0))
                .addService(new TestServers.QuietService()).build().start();
        Server neighbour = NettyServerBuilder.forAddress(new InetSocketAddress("127.23.99.2", lost.getPort()))
                .addService(new TestServers.QuietService()).build().start();
        ManagedChannel toLost = NettyChannelBuilder.forAddress("127.23.99.1", lost.getPort()).usePlaintext().build();
        ManagedChannel toNeighbour = NettyChannelBuilder.forAddress("127.23.99.2", lost.getPort()).usePlaintext()
                .build();
        try (KernelBlackHole blackHole = KernelBlackHole.forAddress("127.23.99.1", lost.getPort())) {
            call(toLost, 5);
            call(toNeighbour, 5);
            blackHole.engage();
            assertThatThrownBy(() -> call(toLost, 2)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    ex -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            call(toNeighbour, 5);
            blackHole.release();
            call(toLost, 10);
        } finally {
            toLost.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            toNeighbour.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            lost.shutdownNow();
            neighbour.shutdownNow();
        }
    }

    private static void call(ManagedChannel channel, int deadlineSeconds) {
        SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
                .unaryRpc(SimpleRequest.getDefaultInstance());
    }

    private static String tables() throws Exception {
        Process process = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
