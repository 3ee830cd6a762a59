package io.github.grpcresilience.autoconfigure.keepalive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.autoconfigure.netdevh.PortZeroGrpcServer;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * {@code grpc.resilience.server.connection.max-age} on a net.devh server: the server sends GOAWAY
 * {@code max_age}, new calls go to a new connection without failing, and a stream that was
 * running on the old connection keeps receiving messages (no grace: it is never cut).
 */
class MaxConnectionAgeTest {

    @Test
    void maxAgeRotatesConnectionsWithoutFailingCalls() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.serverOnPortZero())
                .withUserConfiguration(PortZeroGrpcServer.class, PushService.class)
                .withPropertyValues("grpc.resilience.server.connection.max-age=2s",
                        // the open stream would hold the server's 30 s shutdown grace
                        "grpc.server.shutdown-grace-period=0s")
                .run(server -> {
                    assertThat(server).hasNotFailed();
                    int port = server.getBean(PortZeroGrpcServer.Factory.class).getPort();
                    client(port).run(context -> clientSeesRotation(context, server.getBean(PushService.class)));
                });
    }

    private static ApplicationContextRunner client(int port) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.aged.address=static://127.0.0.1:" + port,
                        "grpc.client.aged.negotiation-type=plaintext",
                        "grpc.client.aged.shutdown-grace-period=0s");
    }

    private static void clientSeesRotation(AssertableApplicationContext context, PushService service) {
        assertThat(context).hasNotFailed();
        Channel channel = NetDevhTesting.channel(context, "aged");
        GoAwayRegistry goAways = context.getBean(GoAwayRegistry.class);

        List<String> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> streamError = new AtomicReference<>();
        SimpleServiceGrpc.newStub(channel).serverStreamingRpc(SimpleRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(SimpleResponse value) {
                        received.add(value.getResponseMessage());
                    }

                    @Override
                    public void onError(Throwable t) {
                        streamError.set(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> service.subscribers.size() == 1);

        // Unary calls keep succeeding while the server rotates connections.
        AtomicInteger succeeded = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .unaryRpc(SimpleRequest.getDefaultInstance());
            succeeded.incrementAndGet();
            return goAways.count("aged", GoAwayReason.MAX_AGE) >= 2;
        });
        assertThat(succeeded.get()).isGreaterThan(1);

        // The stream opened on the first connection still receives messages.
        service.push("after-max-age");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after-max-age"));
        assertThat(streamError.get()).isNull();
    }

    /** Keeps server-streaming subscribers open and pushes to them on demand. */
    @Configuration(proxyBeanMethods = false)
    @ServedGrpcService
    static class PushService extends SimpleServiceGrpc.SimpleServiceImplBase {
        final List<StreamObserver<SimpleResponse>> subscribers = new CopyOnWriteArrayList<>();

        @Override
        public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            responses.onNext(SimpleResponse.getDefaultInstance());
            responses.onCompleted();
        }

        @Override
        public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
            subscribers.add(responses);
        }

        void push(String message) {
            for (StreamObserver<SimpleResponse> subscriber : subscribers) {
                synchronized (subscriber) {
                    subscriber.onNext(SimpleResponse.newBuilder().setResponseMessage(message).build());
                }
            }
        }
    }
}
