package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter's service config on channels Boot builds, next to Boot's own {@code service-config}
 * and {@code health} properties: Boot's last customizer sets the service config from its
 * properties and its customizers, so the starter's has to be among them; an explicit Boot part
 * wins over the starter's default; both explicit for the same part fails the startup.
 */
class SpringGrpcServiceConfigTest {

    private final AtomicInteger attempts = new AtomicInteger();
    private Server server;
    private ApplicationContextRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new SimpleServiceGrpc.SimpleServiceImplBase() {
                    @Override
                    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
                        if (attempts.incrementAndGet() == 1) {
                            responses.onError(Status.UNAVAILABLE.withDescription("first attempt").asRuntimeException());
                            return;
                        }
                        responses.onNext(SimpleResponse.getDefaultInstance());
                        responses.onCompleted();
                    }
                }).build().start();
        runner = SpringGrpcTesting.client().withPropertyValues(
                "spring.grpc.client.channel.inventory.target=static://127.0.0.1:" + server.getPort(),
                // Boot's own service config is not empty, so Boot sets it over the one the starter's customizer set
                "spring.grpc.client.channel.inventory.service-config.loadbalancing[0].pickfirst.shuffle-address-list=false");
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private void call(org.springframework.context.ApplicationContext context) {
        SimpleServiceGrpc.newBlockingStub(SpringGrpcTesting.channel(context, "inventory"))
                .withDeadlineAfter(5, TimeUnit.SECONDS).unaryRpc(SimpleRequest.getDefaultInstance());
    }

    @Test
    void theStartersRetryTakesEffectNextToBootsServiceConfig() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            call(context);
            assertThat(attempts).hasValue(2);
        });
    }

    @Test
    void bootsExplicitMethodConfigWinsOverTheStartersDefault() {
        runner.withPropertyValues(
                "spring.grpc.client.channel.inventory.service-config.method[0].name[0].service=grpc.testing.SimpleService")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThatThrownBy(() -> call(context)).isInstanceOf(StatusRuntimeException.class)
                            .hasMessageContaining("first attempt");
                    assertThat(attempts).as("Boot's method config has no retry policy").hasValue(1);
                });
    }

    @Test
    void bothSettingTheMethodConfigFailsTheStartupNamingBoth() {
        runner.withPropertyValues(
                "spring.grpc.client.channel.inventory.service-config.method[0].name[0].service=grpc.testing.SimpleService",
                "grpc.resilience.client.channels.inventory.retry.max-attempts=4").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                            .hasMessageContaining("spring.grpc.client.channel.inventory.service-config.method")
                            .hasMessageContaining("grpc.resilience.client.channels.inventory.retry");
                });
    }

    @Test
    void bootHealthAndTheStartersHealthCheckFailTheStartupNamingBoth() {
        runner.withPropertyValues("spring.grpc.client.channel.default.health.enabled=true",
                "grpc.resilience.client.defaults.health-check.enabled=true").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidGrpcResiliencePropertyException.class)
                            .hasMessageContaining("spring.grpc.client.channel.default.health")
                            .hasMessageContaining("grpc.resilience.client.defaults.health-check");
                });
    }
}
