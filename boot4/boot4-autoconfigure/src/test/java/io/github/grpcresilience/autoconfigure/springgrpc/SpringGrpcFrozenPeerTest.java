package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The starter's HTTP/2 keepalive reaches a channel Boot builds: with keepalive 10 s / 2 s a quiet
 * stream through a frozen peer fails within 14 s, where Boot's own keepalive (5 min + 20 s)
 * would keep it open for minutes.
 */
class SpringGrpcFrozenPeerTest {

    /** keepalive time + timeout + 2 s for scheduling. */
    private static final Duration WINDOW = Duration.ofSeconds(14);

    @Test
    void theStartersKeepAliveFindsAHungPeerOnABootChannel() throws Exception {
        Server server = TestServers.start(builder -> builder.permitKeepAliveTime(10, TimeUnit.SECONDS));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort())) {
            SpringGrpcTesting.client()
                    .withPropertyValues("spring.grpc.client.channel.inventory.target=static://127.0.0.1:" + proxy.port(),
                            "grpc.resilience.client.channels.inventory.keepalive.time=10s",
                            "grpc.resilience.client.channels.inventory.keepalive.timeout=2s")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        CompletableFuture<Status> stream = new CompletableFuture<>();
                        CompletableFuture<Void> subscribed = new CompletableFuture<>();
                        SimpleServiceGrpc.newStub(SpringGrpcTesting.channel(context, "inventory")).serverStreamingRpc(
                                SimpleRequest.getDefaultInstance(), new StreamObserver<SimpleResponse>() {
                                    @Override
                                    public void onNext(SimpleResponse value) {
                                        subscribed.complete(null);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        stream.complete(Status.fromThrowable(t));
                                    }

                                    @Override
                                    public void onCompleted() {
                                        stream.complete(Status.OK);
                                    }
                                });
                        subscribed.get(5, TimeUnit.SECONDS);

                        proxy.freeze();

                        Status status = stream.get(WINDOW.toNanos(), TimeUnit.NANOSECONDS);
                        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(status.getDescription()).contains("Keepalive failed");
                    });
        } finally {
            server.shutdownNow();
        }
    }
}
