package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.observability.GrpcEndpointSection;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.pool.ChannelPool;
import io.github.grpcresilience.pool.PoolSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pools} section of the {@code grpc} endpoint: per pooled channel its size, calls in
 * flight, each member (state, calls, age, whether it is draining after removal) and what the pool
 * did last.
 */
final class PoolsEndpointSection implements GrpcEndpointSection {

    private final ChannelPools pools;

    PoolsEndpointSection(ChannelPools pools) {
        this.pools = pools;
    }

    @Override
    public String name() {
        return "pools";
    }

    @Override
    public Map<String, Object> describeAll() {
        Map<String, Object> result = new TreeMap<>();
        pools.records().forEach((name, record) -> result.put(name, describe(record)));
        return result;
    }

    @Override
    public Map<String, Object> describe(String item) {
        return pools.record(item).map(PoolsEndpointSection::describe).orElse(null);
    }

    private static Map<String, Object> describe(ChannelPools.Record record) {
        ChannelPool pool = record.pool();
        PoolSettings settings = pool.settings();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("state", pool.getState(false).name());
        result.put("size", pool.size());
        result.put("minSize", settings.minSize());
        result.put("maxSize", settings.maxSize());
        result.put("callsInFlight", pool.inFlight());
        result.put("saturated", record.saturated());
        List<Map<String, Object>> members = pool.members().stream().map(member -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", member.id());
            view.put("state", member.state().name());
            view.put("callsInFlight", member.inFlight());
            view.put("age", Durations.format(member.age().withNanos(0)));
            view.put("draining", member.retired());
            return view;
        }).toList();
        result.put("members", members);
        result.put("resizes", record.resizes());
        result.put("replacements", record.replacements());
        record.lastEvent().ifPresent(event -> result.put("lastEvent", event));
        record.lastEventAt().ifPresent(at -> result.put("lastEventAt", at.toString()));
        return result;
    }
}
