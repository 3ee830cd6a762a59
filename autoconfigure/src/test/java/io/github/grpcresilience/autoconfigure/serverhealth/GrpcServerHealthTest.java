package io.github.grpcresilience.autoconfigure.serverhealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.grpcresilience.autoconfigure.GrpcResilienceScheduling;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.github.grpcresilience.autoconfigure.netdevh.ServedGrpcService;
import io.github.grpcresilience.serverhealth.HoldingService;
import io.github.grpcresilience.testing.ManualClock;
import io.github.grpcresilience.testing.ManualScheduler;
import io.github.grpcresilience.serverhealth.ServerWatcher;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * A real Spring Boot application with a net.devh server on loopback: grpc.health.v1 follows
 * readiness and actuator health, and closing the application (what SIGTERM does) drains the server
 * before net.devh's lifecycle stops it.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcServerHealthTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration DRAIN_DELAY = Duration.ofSeconds(2);

    @ServedGrpcService
    static class HoldingGrpcService extends HoldingService {
    }

    /** An actuator health contributor the test turns DOWN and UP. */
    static class Downstream implements HealthIndicator {
        volatile Status status = Status.UP;

        @Override
        public Health health() {
            return Health.status(status).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App implements GrpcServerListener {
        final AtomicReference<Server> server = new AtomicReference<>();

        @Bean
        HoldingGrpcService holdingGrpcService() {
            return new HoldingGrpcService();
        }

        @Bean
        Downstream downstream() {
            return new Downstream();
        }

        @Override
        public void serverStarted(Server started) {
            if (started.getPort() > 0) { // not the in-process server
                server.set(started);
            }
        }

        @Bean
        ReadinessWitness readinessWitness(ObjectProvider<HealthEndpoint> health) {
            return new ReadinessWitness(health);
        }
    }

    /** Asks actuator for grpcServer the moment readiness turns REFUSING_TRAFFIC, as a watching operator would. */
    static class ReadinessWitness {
        private final ObjectProvider<HealthEndpoint> health;
        final List<Status> grpcServerWhenRefusing = new CopyOnWriteArrayList<>();

        ReadinessWitness(ObjectProvider<HealthEndpoint> health) {
            this.health = health;
        }

        @EventListener
        void readiness(AvailabilityChangeEvent<ReadinessState> event) {
            if (event.getState() == ReadinessState.REFUSING_TRAFFIC) {
                grpcServerWhenRefusing.add(health.getObject().healthForPath("grpcServer").getStatus());
            }
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return start(null, properties);
    }

    /** With {@code time}, the starter's clock and scheduler are the test's: time moves only when it says. */
    private static ConfigurableApplicationContext start(ManualScheduler time, String... properties) {
        String[] args = Arrays.stream(properties).map(property -> "--" + property).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(App.class);
        if (time != null) {
            builder.initializers(context -> {
                context.getBeanFactory().registerSingleton(GrpcResilienceScheduling.SCHEDULER, time);
                context.getBeanFactory().registerSingleton(GrpcResilienceScheduling.CLOCK, time.clock());
            });
        }
        return builder.web(WebApplicationType.NONE)
                .properties("grpc.server.port=0", "grpc.server.address=127.0.0.1", "spring.main.banner-mode=off",
                        "management.endpoint.health.probes.enabled=true",
                        "management.endpoint.health.group.critical.include=downstream",
                        "grpc.resilience.server.health.services.orders.include=critical",
                        "grpc.resilience.server.health.refresh-interval=100ms",
                        "grpc.resilience.server.shutdown.drain-delay=0s",
                        "grpc.resilience.server.shutdown.grace-period=5s")
                .run(args);
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getBean(App.class).server.get().getPort();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRegisteredServiceTheWholeServerAndEachMappedNameIsServingOnceReady() throws Exception {
        try (ConfigurableApplicationContext context = start();
                ServerWatcher client = new ServerWatcher(port(context))) {
            List<String> names = new ArrayList<>(List.of("", "liveness", "readiness", "orders"));
            for (ServerServiceDefinition service : context.getBean(App.class).server.get().getServices()) {
                names.add(service.getServiceDescriptor().getName());
            }
            assertThat(names).contains("grpc.testing.SimpleService", "grpc.health.v1.Health");
            for (String name : names) {
                assertThat(client.check(name)).as("Check(\"%s\")", name).isEqualTo("SERVING");
            }

            HealthComponent indicator = context.getBean(HealthEndpoint.class).healthForPath("grpcServer");
            assertThat(indicator.getStatus()).isEqualTo(Status.UP);
            Map<String, Object> details = ((Health) indicator).getDetails();
            assertThat(details).containsEntry("port", port(context));
            assertThat((Map<String, Object>) details.get("services")).containsEntry("orders",
                    io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    @Test
    void readinessRefusingTrafficTurnsEveryServiceNotServingAtOnceAndBack() throws Exception {
        try (ConfigurableApplicationContext context = start();
                ServerWatcher client = new ServerWatcher(port(context))) {
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(client.check("")).isEqualTo("NOT_SERVING");
            assertThat(client.check("grpc.testing.SimpleService")).isEqualTo("NOT_SERVING");
            assertThat(client.check("readiness")).isEqualTo("NOT_SERVING");
            assertThat(client.check("liveness")).isEqualTo("SERVING");

            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(client.check("")).isEqualTo("SERVING");
            assertThat(client.check("grpc.testing.SimpleService")).isEqualTo("SERVING");
            assertThat(client.check("readiness")).isEqualTo("SERVING");
        }
    }

    @Test
    void anActuatorGroupGoingDownFlipsTheMappedServiceAndBack() throws Exception {
        try (ConfigurableApplicationContext context = start();
                ServerWatcher client = new ServerWatcher(port(context))) {
            client.watch("orders");
            assertThat(client.next(WAIT).what()).isEqualTo("SERVING");
            Downstream downstream = context.getBean(Downstream.class);

            downstream.status = Status.DOWN;
            assertThat(client.next(WAIT).what()).isEqualTo("NOT_SERVING");
            assertThat(client.check("")).as("only the mapped name follows the group").isEqualTo("SERVING");
            assertThat(client.check("liveness")).isEqualTo("SERVING");

            downstream.status = Status.UP;
            assertThat(client.next(WAIT).what()).isEqualTo("SERVING");

            downstream.status = Status.UNKNOWN;
            assertThat(client.next(WAIT).what()).isEqualTo("UNKNOWN");
        }
    }

    @Test
    void theRefreshRunsEveryIntervalOnTheStartersSchedulerOnceForBothServers(CapturedOutput output)
            throws Exception {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        try (ConfigurableApplicationContext context = start(time, "grpc.server.in-process-name=health-refresh-test");
                ServerWatcher client = new ServerWatcher(port(context))) {
            assertThat(time.pendingDelays()).as("one refresh for the Netty and the in-process server")
                    .containsExactly(Duration.ofMillis(100));
            assertThat(client.check("orders")).isEqualTo("SERVING");

            context.getBean(Downstream.class).status = Status.DOWN;
            time.advance(Duration.ofMillis(99));
            assertThat(context.getBean(GrpcHealthBridge.class).statuses()).as("before the refresh")
                    .containsEntry("orders", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
            time.advance(Duration.ofMillis(1));
            assertThat(context.getBean(GrpcHealthBridge.class).statuses()).as("the refresh at 100 ms")
                    .containsEntry("orders", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
            assertThat(client.check("orders")).isEqualTo("NOT_SERVING");
        }
        assertThat(output.getOut()).as("a drain delay of 0 s waits for nobody, not even a stopped clock")
                .doesNotContain("the drain delay did not end");
    }

    @Test
    void closingTheApplicationTurnsNotServingAtOnceServesThroughTheDrainDelayThenSendsGoAway(CapturedOutput output)
            throws Exception {
        ManualScheduler time = new ManualScheduler(new ManualClock());
        ConfigurableApplicationContext context =
                start(time, "grpc.resilience.server.shutdown.drain-delay=" + DRAIN_DELAY.toMillis() + "ms");
        try (ServerWatcher client = new ServerWatcher(port(context))) {
            client.watch("readiness");
            assertThat(client.next(WAIT).what()).isEqualTo("SERVING");
            CompletableFuture<String> running = new CompletableFuture<>();
            client.hold(running);
            HoldingGrpcService service = context.getBean(HoldingGrpcService.class);
            await().atMost(WAIT).until(() -> service.held() == 1);
            Server server = context.getBean(App.class).server.get();

            ReadinessWitness witness = context.getBean(ReadinessWitness.class);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);

            // no time has passed on the starter's clock: NOT_SERVING comes before the drain delay
            ServerWatcher.Event notServing = client.next(WAIT);
            assertThat(notServing.what()).isEqualTo("NOT_SERVING");
            assertThat(context.getBean(HealthEndpoint.class).healthForPath("grpcServer").getStatus())
                    .isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(witness.grpcServerWhenRefusing).as("grpcServer as readiness turns REFUSING_TRAFFIC")
                    .containsExactly(Status.OUT_OF_SERVICE);
            assertThat(client.echo("during the drain")).isEqualTo("during the drain");

            // the drain waits exactly the drain delay on the starter's clock (the health refresh is cancelled)
            await().atMost(WAIT).until(() -> time.pendingDelays().equals(List.of(DRAIN_DELAY)));
            time.advance(DRAIN_DELAY.minusNanos(1));
            assertThat(server.isShutdown()).as("still inside the drain delay").isFalse();
            assertThat(client.echo("at the end of the drain")).isEqualTo("at the end of the drain");
            time.advance(Duration.ofNanos(1));

            ServerWatcher.Event goAway = client.next(WAIT);
            while (!goAway.what().equals("GOAWAY")) {
                assertThat(goAway.what()).isEqualTo("WATCH_ENDED UNAVAILABLE");
                goAway = client.next(WAIT);
            }
            assertThat(server.isShutdown()).isTrue();
            assertThat(running).isNotDone();

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
    }

    @Test
    void aCallLongerThanTheGracePeriodIsCutAndReported(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = start("grpc.resilience.server.shutdown.drain-delay=0s",
                "grpc.resilience.server.shutdown.grace-period=300ms");
        try (ServerWatcher client = new ServerWatcher(port(context))) {
            CompletableFuture<String> running = new CompletableFuture<>();
            client.hold(running);
            await().atMost(WAIT).until(() -> context.getBean(HoldingGrpcService.class).held() == 1);
            context.close();
            assertThat(running.handle((ok, error) -> error == null ? "OK"
                    : io.grpc.Status.fromThrowable(error).getCode().name()).get(10, TimeUnit.SECONDS))
                    .isIn("UNAVAILABLE", "CANCELLED");
        } finally {
            context.close();
        }
        assertThat(output.getOut()).contains("WARN").contains("gRPC server: grace period over: cut 1 running call(s);"
                + " raise grpc.resilience.server.shutdown.grace-period if they should have finished");
    }
}
