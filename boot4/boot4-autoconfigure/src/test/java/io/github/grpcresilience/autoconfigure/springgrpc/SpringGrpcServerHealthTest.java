package io.github.grpcresilience.autoconfigure.springgrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.serverhealth.ServerWatcher;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's grpc.health.v1 and graceful shutdown on Spring Boot 4.1's gRPC server, over real
 * Netty on loopback: the health names answer, Spring Boot's health push does not undo NOT_SERVING,
 * and closing the application (what SIGTERM does) drains the server before Spring gRPC's
 * {@code GrpcServerLifecycle} would send GOAWAY.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringGrpcServerHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(2);
    /** Spring Boot's health push, were it on: at once, then every 100 ms instead of every 5 s. */
    private static final String[] FAST_BOOT_PUSH = {"spring.grpc.server.health.schedule.delay=0s",
            "spring.grpc.server.health.schedule.period=100ms"};

    @Test
    void theStartersHealthNamesTheWholeServerAndEveryServiceAreServingOnceReady() throws Exception {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start();
                ServerWatcher client = new ServerWatcher(SpringGrpcServerTestApp.port(context))) {
            List<String> names = new ArrayList<>(List.of("", "liveness", "readiness"));
            for (ServerServiceDefinition service : SpringGrpcServerTestApp.server(context).getServices()) {
                names.add(service.getServiceDescriptor().getName());
            }
            assertThat(names).contains("grpc.testing.SimpleService", "grpc.health.v1.Health");
            for (String name : names) {
                assertThat(client.check(name)).as("Check(\"%s\")", name).isEqualTo("SERVING");
            }
        }
    }

    @Test
    void theServerHealthStartsWithoutTheStartersClientSide() throws Exception {
        // as without spring-boot-grpc-client: no ConfiguredChannels, so the channel registry and the
        // pool, which import the shared scheduling too, are skipped
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start("spring.autoconfigure.exclude="
                + SpringGrpcClientAutoConfiguration.class.getName());
                ServerWatcher client = new ServerWatcher(SpringGrpcServerTestApp.port(context))) {
            assertThat(client.check("readiness")).isEqualTo("SERVING");
            assertThat(client.check("liveness")).isEqualTo("SERVING");
        }
    }

    @Test
    void springBootsHealthPushIsOffSoRefusingTrafficStaysNotServing() throws Exception {
        try (ConfigurableApplicationContext context = SpringGrpcServerTestApp.start(FAST_BOOT_PUSH);
                ServerWatcher client = new ServerWatcher(SpringGrpcServerTestApp.port(context))) {
            assertThat(context.containsBean("grpcServerHealthScheduler")).as("Spring Boot's health push").isFalse();
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            // Boot's push would set "" and the services from actuator (UP) within 100 ms
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() ->
                    client.check("").equals("NOT_SERVING")
                            && client.check("grpc.testing.SimpleService").equals("NOT_SERVING")
                            && client.check("readiness").equals("NOT_SERVING"));
            assertThat(client.check("liveness")).isEqualTo("SERVING");

            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(client.check("")).isEqualTo("SERVING");
        }
    }

    @Test
    void closingTheApplicationTurnsNotServingServesThroughTheDrainDelayThenSendsGoAway(CapturedOutput output)
            throws Exception {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        ConfigurableApplicationContext context = SpringGrpcServerTestApp.start(time,
                "grpc.resilience.server.shutdown.drain-delay=" + DRAIN_DELAY.toMillis() + "ms");
        try (ServerWatcher client = new ServerWatcher(SpringGrpcServerTestApp.port(context))) {
            client.watch("readiness");
            assertThat(client.next(WAIT).what()).isEqualTo("SERVING");
            CompletableFuture<String> running = new CompletableFuture<>();
            client.hold(running);
            HoldingService service = context.getBean(HoldingService.class);
            await().atMost(WAIT).until(() -> service.held() == 1);
            Server server = SpringGrpcServerTestApp.server(context);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);

            // no time has passed on the starter's clock: NOT_SERVING comes before the drain delay
            assertThat(client.next(WAIT).what()).isEqualTo("NOT_SERVING");
            assertThat(client.echo("during the drain")).isEqualTo("during the drain");

            await().atMost(WAIT).until(() -> time.pendingDelays().equals(List.of(DRAIN_DELAY)));
            time.advance(DRAIN_DELAY.minusNanos(1));
            assertThat(server.isShutdown()).as("still inside the drain delay: no GOAWAY yet").isFalse();
            assertThat(client.echo("at the end of the drain")).isEqualTo("at the end of the drain");
            assertThat(client.pending()).as("nothing but NOT_SERVING so far").isZero();
            time.advance(Duration.ofNanos(1));

            ServerWatcher.Event goAway = client.next(WAIT);
            while (!goAway.what().equals("GOAWAY")) {
                assertThat(goAway.what()).isEqualTo("WATCH_ENDED UNAVAILABLE");
                goAway = client.next(WAIT);
            }
            assertThat(server.isShutdown()).isTrue();
            assertThat(running).as("the running call outlives GOAWAY").isNotDone();

            service.release();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("released");
            closed.get(20, TimeUnit.SECONDS);
        } finally {
            context.close();
        }
        assertThat(output.getOut().lines().filter(line -> line.contains("gRPC server: ")).toList())
                .hasSize(3)
                .anySatisfy(line -> assertThat(line).contains("every health status is NOT_SERVING"))
                .anySatisfy(line -> assertThat(line).contains("GOAWAY sent"))
                .anySatisfy(line -> assertThat(line).contains("every running call finished"));
        assertThat(output.getAll()).as("Spring gRPC's lifecycle finds the server terminated quietly")
                .doesNotContain(" ERROR ").doesNotContain("Exception");
    }
}
