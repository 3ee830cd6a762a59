package io.github.grpcresilience.benchmarks.soak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Time from one fault's end until every agent of a group holds the latest version: polled (every
 * 50 ms by the soak) from the fault's end until the next fault starts. The agents the fault hit
 * must also have received an update after the fault began; the others need only be current.
 *
 * <p>Not thread-safe: one soak thread polls and reads it.
 */
final class Convergence {

    private final long faultStart;
    private final long faultEnd;
    private final Set<String> hit;
    private final Map<String, Long> convergedAt = new HashMap<>();

    Convergence(long faultStart, long faultEnd, Set<String> hit) {
        this.faultStart = faultStart;
        this.faultEnd = faultEnd;
        this.hit = Set.copyOf(hit);
    }

    /** Records, for every agent not yet converged, whether it is now. */
    void poll(SoakLedger ledger, Iterable<String> agents, long nanos) {
        for (String agent : agents) {
            if (!convergedAt.containsKey(agent)
                    && ledger.current(agent, nanos, hit.contains(agent) ? faultStart : Long.MIN_VALUE)) {
                convergedAt.put(agent, Math.max(nanos, faultEnd));
            }
        }
    }

    /** Nanos from the fault's end until the last of {@code agents} converged; empty while one has not. */
    OptionalLong nanosUntilAll(List<String> agents) {
        long latest = faultEnd;
        for (String agent : agents) {
            Long at = convergedAt.get(agent);
            if (at == null) {
                return OptionalLong.empty();
            }
            latest = Math.max(latest, at);
        }
        return OptionalLong.of(latest - faultEnd);
    }

    long faultEnd() {
        return faultEnd;
    }
}
