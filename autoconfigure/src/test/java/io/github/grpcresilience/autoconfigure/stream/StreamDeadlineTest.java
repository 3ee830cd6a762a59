package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamState;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A channel's default {@code timeout} and long-lived streams, over real Netty on loopback: the
 * default ends unary calls only; a method entry's own timeout ends the streams of that method, and
 * the stream's log line names that entry's property.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamDeadlineTest {

    private static final String CHANNEL = "grpc.resilience.client.channels.control-plane.";
    private static final String STREAM_METHOD_ENTRY = CHANNEL + "methods[" + SimpleServiceGrpc.SERVICE_NAME
            + "/ServerStreamingRpc]";

    private final List<StreamObserver<SimpleResponse>> held = new CopyOnWriteArrayList<>();
    private Server server;

    @BeforeEach
    void startServer() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                        held.add(responses); // never answers
                    }

                    @Override
                    public void serverStreamingRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                        held.add(responses);
                        responses.onNext(SimpleResponse.newBuilder().setResponseMessage("v1").build()); // stays open
                    }
                }).build().start();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private void run(Consumer<AssertableApplicationContext> test, String... properties) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class,
                        GrpcResilienceChannelRegistryAutoConfiguration.class,
                        GrpcResilienceStreamsAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.server.port=-1",
                        "grpc.client.control-plane.address=static://127.0.0.1:" + server.getPort(),
                        "grpc.client.control-plane.negotiation-type=plaintext",
                        "grpc.client.control-plane.shutdown-grace-period=0s",
                        "grpc.resilience.client.defaults.timeout=1s")
                .withPropertyValues(properties)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    test.accept(context);
                });
    }

    private static ResilientStream<SimpleRequest, SimpleResponse> configUpdates(AssertableApplicationContext context,
            SimpleServiceGrpc.SimpleServiceStub stub) {
        return context.getBean(StreamSupervisor.class)
                .<SimpleRequest, SimpleResponse>serverStream("config-updates", "control-plane")
                .open(stub::serverStreamingRpc).request(SimpleRequest.newBuilder().setRequestMessage("hi").build())
                .onMessage(response -> { }).start();
    }

    @Test
    void theChannelsDefaultTimeoutEndsUnaryCallsButNotASupervisedStream(CapturedOutput output) {
        run(context -> {
            io.grpc.Channel channel = NetDevhTesting.channel(context, "control-plane");
            ResilientStream<SimpleRequest, SimpleResponse> stream = configUpdates(context,
                    SimpleServiceGrpc.newStub(channel));
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.state() == StreamState.HEALTHY);
            long openedAt = System.nanoTime();

            long start = System.nanoTime();
            assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel).unaryRpc(SimpleRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
                    Duration.ofSeconds(4));

            // well past the 1 s default: the stream is still the call it opened first
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(10))
                    .until(() -> System.nanoTime() - openedAt > TimeUnit.MILLISECONDS.toNanos(2500));
            assertThat(stream.state()).isEqualTo(StreamState.HEALTHY);
            assertThat(stream.snapshot().reconnects()).isZero();
            assertThat(stream.snapshot().lastStatus()).isNull();
            stream.close();
        });
        assertThat(output.getAll()).doesNotContain("gRPC stream 'config-updates'");
    }

    @Test
    void aMethodEntrysOwnTimeoutEndsTheStreamAndTheLogNamesIt(CapturedOutput output) {
        run(context -> {
            io.grpc.Channel channel = NetDevhTesting.channel(context, "control-plane");
            ResilientStream<SimpleRequest, SimpleResponse> stream = configUpdates(context,
                    SimpleServiceGrpc.newStub(channel));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.state() == StreamState.FAILED);
            assertThat(stream.snapshot().lastStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        }, STREAM_METHOD_ENTRY + ".timeout=1500ms");
        assertThat(output.getAll())
                .containsOnlyOnce("gRPC stream 'config-updates' on channel 'control-plane' failed for good "
                        + "(DEADLINE_EXCEEDED")
                .contains("the deadline comes from " + STREAM_METHOD_ENTRY + ".timeout")
                .contains("grpc.resilience.client.defaults.timeout (1s) applies to unary calls only")
                .doesNotContain("reconnect.retryable-status-codes");
    }

    @Test
    void aUnaryMethodEntrysOwnTimeoutWinsOverTheChannelDefault() {
        run(context -> {
            io.grpc.Channel channel = NetDevhTesting.channel(context, "control-plane");
            long start = System.nanoTime();
            assertThatThrownBy(() -> SimpleServiceGrpc.newBlockingStub(channel).unaryRpc(SimpleRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2400));
        }, CHANNEL + "methods[" + SimpleServiceGrpc.SERVICE_NAME + "/UnaryRpc].timeout=2500ms");
    }
}
