package io.github.grpcresilience.autoconfigure.serverhealth;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.adapter.GrpcServerListener;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Makes grpc.health.v1 tell the truth: every registered service and {@code ""} report SERVING only
 * while readiness is ACCEPTING_TRAFFIC, and each mapped name ({@code liveness}, {@code readiness},
 * ...) follows actuator health. Re-evaluated when readiness changes and every refresh interval.
 *
 * <p>{@code ""} and the services turn SERVING on {@link ApplicationReadyEvent} already, before the
 * application's own listeners of that event run: Spring Boot sets ACCEPTING_TRAFFIC only after them,
 * and an application that calls its own server from such a listener (a warm-up, a self-check, a
 * channel with client-side health checking) must find it serving, as it does without the starter.
 * A readiness change published after the event decides again.
 *
 * <p>Thread-safety: evaluations run on the event publisher's thread and on the scheduler. Each
 * takes a ticket under the lock before it reads readiness and actuator health (outside the lock),
 * and its result is recorded only if no evaluation that started later was recorded first: an
 * older evaluation never undoes a readiness change. The manager is told outside the lock (it
 * calls out to Watch streams under its own lock), under a publishing lock that only keeps those
 * calls in the order of the decisions: each publication sends the latest recorded statuses, so
 * the last one to run leaves the manager where the bridge is, and the thread that recorded a
 * change returns only once the manager has it. Nothing is set after {@link #terminate()}.
 */
public final class GrpcHealthBridge implements ApplicationListener<ApplicationEvent>, GrpcServerListener,
        DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GrpcHealthBridge.class);

    /** Reads an actuator contributor or group's status code (UP, DOWN, ...), empty if there is none. */
    @FunctionalInterface
    public interface ActuatorHealth {
        Optional<String> status(String contributorOrGroup);
    }

    private final HealthStatusManager health;
    private final GrpcResilienceProperties.Server.Health properties;
    private final ActuatorHealth actuator;
    private final ApplicationAvailability availability;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    /** Orders the calls into the manager; taken before {@link #lock}, never the other way round. */
    private final Object publishLock = new Object();
    /** The statuses as last decided. */
    @GuardedBy("lock")
    private final Map<String, ServingStatus> current = new TreeMap<>();
    @GuardedBy("lock")
    private List<String> services = List.of();
    @GuardedBy("lock")
    private boolean terminal;
    /** The application is ready and no readiness change has come since. */
    @GuardedBy("lock")
    private boolean readyBeforeReadinessChange;
    /** The ticket the next evaluation takes. */
    @GuardedBy("lock")
    private long nextTicket;
    /** The ticket of the evaluation recorded last: older ones are dropped. */
    @GuardedBy("lock")
    private long recordedTicket = -1;
    @GuardedBy("lock")
    private ScheduledFuture<?> periodicRefresh;
    /** The statuses the manager has been told. */
    @GuardedBy("publishLock")
    private final Map<String, ServingStatus> published = new TreeMap<>();
    private volatile int port = -1;

    /**
     * @param scheduler runs the periodic refresh; shared, so the bridge cancels its task and never
     *        shuts the scheduler down
     */
    public GrpcHealthBridge(HealthStatusManager health, GrpcResilienceProperties.Server.Health properties,
            ActuatorHealth actuator, ApplicationAvailability availability, ScheduledExecutorService scheduler) {
        this.health = health;
        this.properties = properties;
        this.actuator = actuator;
        this.availability = availability;
        this.scheduler = scheduler;
        // HealthStatusManager starts with "" SERVING; nothing is ready before the server has started.
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    @Override
    public void serverStarted(Server server) {
        List<String> names = new ArrayList<>();
        for (ServerServiceDefinition service : server.getServices()) {
            names.add(service.getServiceDescriptor().getName());
        }
        synchronized (lock) {
            services = List.copyOf(names);
        }
        port = server.getPort();
        refresh();
        scheduleRefresh();
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof AvailabilityChangeEvent<?> change && change.getState() instanceof ReadinessState) {
            synchronized (lock) {
                readyBeforeReadinessChange = false;
            }
            refresh();
        }
    }

    /** Schedules the periodic refresh once (a second server, such as an in-process one, adds none). */
    private void scheduleRefresh() {
        synchronized (lock) {
            if (periodicRefresh != null || terminal) {
                return;
            }
            long interval = properties.getRefreshInterval().toNanos();
            periodicRefresh = scheduler.scheduleWithFixedDelay(this::refresh, interval, interval,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** The application is ready: serving until a readiness change says otherwise. */
    void applicationReady() {
        synchronized (lock) {
            readyBeforeReadinessChange = true;
        }
        refresh();
    }

    /**
     * Tells the bridge of {@link ApplicationReadyEvent} first among that event's listeners, so the
     * application's own listeners find the server SERVING. A listener of its own: the bridge must hear
     * readiness changes after {@link ApplicationAvailability} has recorded them, so it is not ordered.
     */
    static final class ReadyListener implements ApplicationListener<ApplicationReadyEvent>, Ordered {

        private final GrpcHealthBridge bridge;

        ReadyListener(GrpcHealthBridge bridge) {
            this.bridge = bridge;
        }

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            bridge.applicationReady();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /** Evaluates every status and sets those that changed; never throws (it runs on the scheduler). */
    public void refresh() {
        try {
            Evaluation evaluation;
            synchronized (lock) {
                evaluation = new Evaluation(nextTicket++, services, readyBeforeReadinessChange);
            }
            record(evaluation.ticket(), evaluate(evaluation));
        } catch (RuntimeException e) {
            log.warn("gRPC health: could not evaluate the health statuses ({}); keeping the last ones."
                    + " Check the actuator health contributors named in {}.server.health.services",
                    e.toString(), GrpcResilienceProperties.PREFIX);
        }
    }

    /** What an evaluation started from, taken under the lock. */
    private record Evaluation(long ticket, List<String> services, boolean ready) {
    }

    /** Reads readiness and actuator health outside the lock: contributors are application code. */
    private Map<String, ServingStatus> evaluate(Evaluation evaluation) {
        ServingStatus serving = evaluation.ready()
                || availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        Map<String, ServingStatus> next = new LinkedHashMap<>();
        next.put(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, serving);
        evaluation.services().forEach(name -> next.put(name, serving));
        properties.getServices().forEach((name, mapped) -> next.put(name, mapped(mapped.getInclude())));
        return next;
    }

    /** Records an evaluation unless a later one was recorded first, then tells the manager. */
    private void record(long ticket, Map<String, ServingStatus> next) {
        Map<ServingStatus, List<String>> changed = new TreeMap<>();
        synchronized (lock) {
            if (terminal || ticket < recordedTicket) {
                return; // a later evaluation, which saw a readiness change this one may not have, won
            }
            recordedTicket = ticket;
            for (Map.Entry<String, ServingStatus> entry : next.entrySet()) {
                ServingStatus previous = current.put(entry.getKey(), entry.getValue());
                if (previous != null && previous != entry.getValue()) {
                    changed.computeIfAbsent(entry.getValue(), s -> new ArrayList<>()).add("'" + entry.getKey() + "'");
                }
            }
        }
        publish();
        changed.forEach((status, names) -> log.info("gRPC health: {} now {}", String.join(", ", names), status));
    }

    /** Tells the manager every recorded status it does not have yet, outside the state lock. */
    private void publish() {
        synchronized (publishLock) {
            Map<String, ServingStatus> due = new LinkedHashMap<>();
            synchronized (lock) {
                if (terminal) {
                    return;
                }
                for (Map.Entry<String, ServingStatus> entry : current.entrySet()) {
                    if (published.get(entry.getKey()) != entry.getValue()) {
                        due.put(entry.getKey(), entry.getValue());
                    }
                }
            }
            published.putAll(due);
            for (Map.Entry<String, ServingStatus> entry : due.entrySet()) {
                health.setStatus(entry.getKey(), entry.getValue());
            }
        }
    }

    /** UP in every contributor is SERVING; DOWN or OUT_OF_SERVICE in any is NOT_SERVING; else UNKNOWN. */
    private ServingStatus mapped(List<String> include) {
        boolean allUp = !include.isEmpty();
        for (String contributor : include) {
            String status = actuator.status(contributor).orElseGet(() -> availabilityStatus(contributor));
            if (status.equals("DOWN") || status.equals("OUT_OF_SERVICE")) {
                return ServingStatus.NOT_SERVING;
            }
            allUp &= status.equals("UP");
        }
        return allUp ? ServingStatus.SERVING : ServingStatus.UNKNOWN;
    }

    /** Without actuator's probe groups, liveness and readiness come from Spring Boot's availability state. */
    private String availabilityStatus(String name) {
        return switch (name) {
            case "liveness" -> availability.getLivenessState() == LivenessState.CORRECT ? "UP" : "DOWN";
            case "readiness" ->
                availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC ? "UP" : "OUT_OF_SERVICE";
            default -> "UNKNOWN";
        };
    }

    /** Stops updating: shutdown has begun, and the manager's terminal state takes over. */
    public void terminate() {
        synchronized (publishLock) { // waits for a publication under way: nothing is set after this
            synchronized (lock) {
                terminal = true;
                current.replaceAll((name, status) -> ServingStatus.NOT_SERVING);
                cancelRefresh();
            }
        }
    }

    @GuardedBy("lock")
    private void cancelRefresh() {
        if (periodicRefresh != null) {
            periodicRefresh.cancel(false);
        }
    }

    /** The status of every name, as last set. */
    public Map<String, ServingStatus> statuses() {
        synchronized (lock) {
            return Map.copyOf(current);
        }
    }

    public boolean isTerminal() {
        synchronized (lock) {
            return terminal;
        }
    }

    /** The server's port, or -1 before it started. */
    public int port() {
        return port;
    }

    @Override
    public void destroy() {
        synchronized (lock) {
            cancelRefresh();
        }
    }

    /** No actuator: mapped liveness and readiness follow the availability state, others are UNKNOWN. */
    public static ActuatorHealth none() {
        return name -> Optional.empty();
    }
}
