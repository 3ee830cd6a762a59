package io.github.grpcresilience.autoconfigure.serviceconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhTesting;
import io.github.grpcresilience.testing.FaultInjectingProxy;
import io.github.grpcresilience.testing.QuietStream;
import io.github.grpcresilience.transport.TestServers;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A method's {@code timeout} and {@code wait-for-ready} from the properties, over a real server:
 * the timeout ends a quiet stream of that method with DEADLINE_EXCEEDED; wait-for-ready holds a
 * call of that method while the server cannot be reached and completes it once it can, where the
 * same call on a channel without it fails with UNAVAILABLE.
 */
class MethodCallPolicyTest {

    private static final String METHODS = ".methods[grpc.testing.SimpleService/";
    private static final Duration BOUND = Duration.ofSeconds(20);

    private Server server;
    private FaultInjectingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start();
        proxy = FaultInjectingProxy.start("127.0.0.1", server.getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.shutdownNow();
    }

    private static ApplicationContextRunner client(String... properties) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GrpcResilienceKeepAliveAutoConfiguration.class,
                        GrpcResilienceServiceConfigAutoConfiguration.class))
                .withConfiguration(NetDevhTesting.client())
                .withPropertyValues("grpc.client.GLOBAL.negotiation-type=plaintext",
                        "grpc.client.GLOBAL.shutdown-grace-period=0s")
                .withPropertyValues(properties);
    }

    @Test
    void aMethodTimeoutEndsItsStreamAndLeavesOtherMethodsAlone() {
        client("grpc.client.timed.address=static://127.0.0.1:" + server.getPort(),
                "grpc.resilience.client.channels.timed" + METHODS + "ServerStreamingRpc].timeout=500ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Channel channel = NetDevhTesting.channel(context, "timed");
                    long started = System.nanoTime();
                    Status status = QuietStream.open(channel).get(BOUND.toSeconds(), TimeUnit.SECONDS);
                    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(400));
                    // the unary method has no timeout: a call with none of its own is not given one
                    assertThat(SimpleServiceGrpc.newBlockingStub(channel)
                            .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("untimed").build())
                            .getResponseMessage()).isEqualTo("untimed");
                });
    }

    @Test
    void waitForReadyHoldsACallUntilTheServerCanBeReached() {
        String target = "static://127.0.0.1:" + proxy.port();
        proxy.refuseNewConnections(true);
        client("grpc.client.ready.address=" + target, "grpc.client.plain.address=" + target,
                "grpc.resilience.client.channels.ready" + METHODS + "UnaryRpc].wait-for-ready=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var waiting = SimpleServiceGrpc.newFutureStub(NetDevhTesting.channel(context, "ready"))
                            .withDeadlineAfter(BOUND.toSeconds(), TimeUnit.SECONDS)
                            .unaryRpc(SimpleRequest.newBuilder().setRequestMessage("waited").build());
                    await().atMost(BOUND).until(() ->
                            NetDevhTesting.connectivityState(context, "ready") == ConnectivityState.TRANSIENT_FAILURE);

                    StatusRuntimeException failed = catchThrowableOfType(StatusRuntimeException.class,
                            () -> SimpleServiceGrpc.newBlockingStub(NetDevhTesting.channel(context, "plain"))
                                    .withDeadlineAfter(BOUND.toSeconds(), TimeUnit.SECONDS)
                                    .unaryRpc(SimpleRequest.getDefaultInstance()));
                    assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(waiting).as("the wait-for-ready call while the server cannot be reached")
                            .isNotDone();

                    proxy.refuseNewConnections(false);
                    SimpleResponse response = waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                    assertThat(response.getResponseMessage()).isEqualTo("waited");
                });
    }
}
