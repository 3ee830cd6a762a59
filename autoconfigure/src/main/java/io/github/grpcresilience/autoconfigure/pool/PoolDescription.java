package io.github.grpcresilience.autoconfigure.pool;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.pool.ChannelPool;
import java.util.List;

/**
 * One pooled channel in the {@code pools} section of the {@code grpc} endpoint.
 *
 * @param state the pool's connectivity state
 * @param size members taking calls
 * @param minSize the configured lower bound
 * @param maxSize the configured upper bound
 * @param callsInFlight calls running on the pool
 * @param saturated whether it is at its maximum size and still crowded
 * @param members every member, including those draining after removal
 * @param resizes how many times the pool has resized
 * @param replacements how many members it has replaced
 * @param lastEvent what the pool did last; absent before it did anything
 * @param lastEventAt when (ISO-8601); absent before it did anything
 */
public record PoolDescription(String state, int size, int minSize, int maxSize, int callsInFlight, boolean saturated,
        List<Member> members, int resizes, int replacements,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastEvent,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastEventAt) {

    /**
     * One connection of the pool.
     *
     * @param id its id within the pool
     * @param state its connectivity state
     * @param callsInFlight calls running on it
     * @param age how long it has existed, e.g. {@code 5m}
     * @param draining whether it was removed and is finishing its calls
     */
    public record Member(int id, String state, int callsInFlight, String age, boolean draining) {

        static Member of(ChannelPool.MemberView member) {
            return new Member(member.id(), member.state().name(), member.inFlight(),
                    Durations.format(member.age().withNanos(0)), member.retired());
        }
    }

    static PoolDescription of(ChannelPools.Record record) {
        ChannelPool pool = record.pool();
        return new PoolDescription(pool.getState(false).name(), pool.size(), pool.settings().minSize(),
                pool.settings().maxSize(), pool.inFlight(), record.saturated(),
                pool.members().stream().map(Member::of).toList(), record.resizes(), record.replacements(),
                record.lastEvent().orElse(null), record.lastEventAt().map(Object::toString).orElse(null));
    }
}
