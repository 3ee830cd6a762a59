package io.github.grpcresilience.benchmarks.soak;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the soak knows about versions, outages and acks, fed from the processes' log lines with the
 * time each line arrived (nanos from one monotonic clock, passed in, so tests use exact times).
 *
 * <p>Versions: the control plane publishes 1, 2, 3... and starts again at 0 after a restart, so
 * every start begins a new epoch. An agent is current when its last update came from this epoch
 * and carries at least the version published {@link #DELIVERY_TOLERANCE_NANOS} earlier (a push
 * in flight does not count against it).
 *
 * <p>Outages: windows in which an agent cannot reach the control plane at all (control plane
 * down, the agent's path frozen or black-holed). A failed unary call counts as outside when the
 * span from its start to its failure touches no window.
 *
 * <p>Thread-safety: every method is synchronized; the log readers of all processes feed it.
 */
final class SoakLedger {

    static final long DELIVERY_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int PUSHES_KEPT = 16;

    /** An agent's last update. */
    private record Update(int epoch, long version, long nanos) {
    }

    /** A push of the control plane. */
    private record Push(long version, long nanos) {
    }

    /** A window [start, end]; {@code end} is {@link Long#MAX_VALUE} while open. */
    private static final class Window {
        final long start;
        long end = Long.MAX_VALUE;

        Window(long start) {
            this.start = start;
        }

        boolean touches(long from, long to) {
            return from <= end && to >= start;
        }
    }

    /** A failed unary call: when it failed, and whether an outage explains it. */
    record UnaryFailure(String agent, long nanos, boolean inOutage, String lastFault) {
    }

    /**
     * Acks of one agent, by sequence number: accepted by its stream (its own count), received by a
     * control plane (distinct), received more than once (re-sent after a break), handed back
     * unconfirmed (distinct), handed back although received (the confirmation had not arrived),
     * and accepted but neither received nor handed back.
     */
    record Acks(long accepted, long received, long duplicates, long handedBack, long handedBackReceived,
            long unaccounted) {
    }

    @GuardedBy("this")
    private int epoch;
    @GuardedBy("this")
    private final Deque<Push> pushes = new ArrayDeque<>();
    @GuardedBy("this")
    private final Map<String, Update> updates = new HashMap<>();
    @GuardedBy("this")
    private final Map<String, List<Window>> outages = new HashMap<>();
    @GuardedBy("this")
    private final List<UnaryFailure> failures = new ArrayList<>();
    /** The label failures get before the soak's measurement starts (processes still starting). */
    static final String START_UP = "start-up";

    @GuardedBy("this")
    private String lastFault = START_UP;
    @GuardedBy("this")
    private final Map<String, Set<Long>> acksReceived = new HashMap<>();
    @GuardedBy("this")
    private final Map<String, Long> ackLines = new HashMap<>();
    @GuardedBy("this")
    private final Map<String, Set<Long>> acksHandedBack = new HashMap<>();
    @GuardedBy("this")
    private final Map<String, Long> acksReported = new LinkedHashMap<>();

    /** A control plane process was started: its versions start again. */
    synchronized void controlPlaneStarted() {
        epoch++;
        pushes.clear();
    }

    synchronized void published(long version, long nanos) {
        pushes.addLast(new Push(version, nanos));
        while (pushes.size() > PUSHES_KEPT) {
            pushes.removeFirst();
        }
    }

    synchronized void received(String agent, long version, long nanos) {
        updates.put(agent, new Update(epoch, version, nanos));
    }

    /**
     * Whether the agent holds the latest version at {@code nanos}, having received it at or after
     * {@code freshSince} (a fault's start, for the agents it hit: an update from before the fault
     * proves nothing about the stream after it).
     */
    synchronized boolean current(String agent, long nanos, long freshSince) {
        Update update = updates.get(agent);
        if (update == null || update.epoch() != epoch || update.nanos() < freshSince) {
            return false;
        }
        long required = Long.MIN_VALUE;
        for (Push push : pushes) {
            if (push.nanos() <= nanos - DELIVERY_TOLERANCE_NANOS) {
                required = push.version();
            }
        }
        return update.version() >= required;
    }

    /** The start figures are taken; failures from now on count. */
    synchronized void measuring() {
        lastFault = "none yet";
    }

    synchronized boolean isMeasuring() {
        return !lastFault.equals(START_UP);
    }

    /** Whether an outage window of the agent is open at {@code nanos}. */
    synchronized boolean inOutage(String agent, long nanos) {
        return outages.getOrDefault(agent, List.of()).stream().anyMatch(w -> w.touches(nanos, nanos));
    }

    synchronized void faultStarted(String label) {
        lastFault = label;
    }

    synchronized void outageStarted(String agent, long nanos) {
        outages.computeIfAbsent(agent, a -> new ArrayList<>()).add(new Window(nanos));
    }

    synchronized void outageEnded(String agent, long nanos) {
        List<Window> windows = outages.get(agent);
        if (windows == null || windows.isEmpty() || windows.get(windows.size() - 1).end != Long.MAX_VALUE) {
            throw new IllegalStateException("no open outage for " + agent);
        }
        windows.get(windows.size() - 1).end = nanos;
    }

    /** A unary call of the agent failed at {@code nanos} after {@code elapsedNanos}. */
    synchronized UnaryFailure unaryFailed(String agent, long nanos, long elapsedNanos) {
        long start = nanos - elapsedNanos;
        boolean inOutage = outages.getOrDefault(agent, List.of()).stream().anyMatch(w -> w.touches(start, nanos));
        UnaryFailure failure = new UnaryFailure(agent, nanos, inOutage, lastFault);
        failures.add(failure);
        return failure;
    }

    synchronized List<UnaryFailure> failures() {
        return List.copyOf(failures);
    }

    /** A control plane logged the agent's ack with this sequence number. */
    synchronized void ackReceived(String agent, long sequence) {
        acksReceived.computeIfAbsent(agent, a -> new HashSet<>()).add(sequence);
        ackLines.merge(agent, 1L, Long::sum);
    }

    /** The agent's stream handed these acks back unconfirmed. */
    synchronized void acksHandedBack(String agent, List<Long> sequences) {
        acksHandedBack.computeIfAbsent(agent, a -> new HashSet<>()).addAll(sequences);
    }

    /** The agent's own final count of acks its stream accepted, from its last log line. */
    synchronized void acksReported(String agent, long accepted) {
        acksReported.put(agent, accepted);
    }

    /** Per agent that reported its count. */
    synchronized Map<String, Acks> acks() {
        Map<String, Acks> result = new LinkedHashMap<>();
        acksReported.forEach((agent, accepted) -> {
            Set<Long> received = acksReceived.getOrDefault(agent, Set.of());
            Set<Long> handedBack = acksHandedBack.getOrDefault(agent, Set.of());
            Set<Long> accounted = new HashSet<>(received);
            accounted.addAll(handedBack);
            long handedBackReceived = handedBack.stream().filter(received::contains).count();
            result.put(agent, new Acks(accepted, received.size(), ackLines.getOrDefault(agent, 0L) - received.size(),
                    handedBack.size(), handedBackReceived, accepted - accounted.size()));
        });
        return result;
    }
}
